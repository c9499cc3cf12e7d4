package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a real MongoDB-wire server: a batch cut off between its books and its counts leaves its partition
 * marked, and its retry adds nothing (the books are already there), so the consumer's counts must look at
 * the partitions again after a failed batch, and only at the partitions it still owns.
 */
@ExtendWith(VertxExtension.class)
class PartitionCountsTest {

  private static final String COUNTS = "book_counts";
  private static final Partitioning PARTITIONING = new Partitioning(3);

  private MongoClient mongo;
  private ReadModel readModel;
  private BookProjection projection;
  /** The counts of a consumer that owns every partition, checked once: twelve books, all counted. */
  private PartitionCounts counts;

  @BeforeEach
  void twelveBooksCountedByTheOwnerOfEveryPartition(Vertx vertx) throws Exception {
    mongo = RealMongo.newDatabase(vertx);
    readModel = new ReadModel(mongo, true, PARTITIONING);
    projection = new BookProjection(readModel);
    await(projection.apply(createdBooks(1, 12)));
    counts = new PartitionCounts(readModel);
    counts.assigned(topicPartitions(PARTITIONING.all()));
    await(counts.beforeBatch());
    assertEquals(12, total(readModel));
  }

  @Test
  void aBatchCutOffBetweenItsBooksAndItsCountsIsRecountedBeforeItsRetry() throws Exception {
    BookEvent thirteenth = TestEvents.created(13, "Cut off");
    int partition = PARTITIONING.of(13);
    cutOffAfterItsBooks(thirteenth, partition);
    await(counts.beforeBatch());
    await(projection.apply(List.of(thirteenth)));
    assertEquals(12, total(readModel), "without being told of the failure, the retry leaves the book uncounted");

    counts.batchFailed();
    await(counts.beforeBatch());
    await(projection.apply(List.of(thirteenth)));
    assertEquals(13, total(readModel));
    assertEquals(Set.of(), await(readModel.counts().unfinished(PARTITIONING.all())));
  }

  @Test
  void aPartitionGivenUpIsLeftToItsNextOwner() throws Exception {
    int partition = PARTITIONING.of(13);
    cutOffAfterItsBooks(TestEvents.created(13, "Cut off"), partition);
    counts.revoked(topicPartitions(Set.of(partition)));
    counts.batchFailed();
    await(counts.beforeBatch());
    assertEquals(Set.of(partition), await(readModel.counts().unfinished(PARTITIONING.all())),
        "a partition no longer owned is not recounted: its new owner may be writing it");

    PartitionCounts nextOwner = new PartitionCounts(readModel);
    nextOwner.assigned(topicPartitions(Set.of(partition)));
    await(nextOwner.beforeBatch());
    assertEquals(13, total(readModel));
  }

  /**
   * The state a batch leaves when its process dies after writing its books and before adding them to the
   * counts: the books written, the partition's counts as they were, and the mark set.
   */
  private void cutOffAfterItsBooks(BookEvent event, int partition) throws Exception {
    JsonObject before = await(mongo.findOne(COUNTS, new JsonObject().put("_id", partition), null));
    await(projection.apply(List.of(event)));
    await(mongo.save(COUNTS, before.copy().put("pending", true)));
  }

  private static List<BookEvent> createdBooks(long from, long to) {
    List<BookEvent> events = new ArrayList<>();
    for (long bid = from; bid <= to; bid++) {
      events.add(TestEvents.created(bid, "Book " + bid));
    }
    return events;
  }

  private static Set<TopicPartition> topicPartitions(Collection<Integer> partitions) {
    return partitions.stream().map(p -> new TopicPartition("books", p)).collect(Collectors.toSet());
  }

  private static long total(ReadModel readModel) throws Exception {
    return await(readModel.counts().read()).total();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
