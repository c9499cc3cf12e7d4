package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.query.RealMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The counts the projection keeps, on a real MongoDB-wire server: after any history of creations, category
 * changes, deletions and replays they equal the books queries find, and a partition left marked by a batch
 * cut off between its writes is found and recounted.
 */
@ExtendWith(VertxExtension.class)
class BookCountsTest {

  private static final List<String> CATEGORIES = List.of("SF", "Poetry", "History", "a.b$c", "", "%2E", "nul\u0000in", "100%");

  @Test
  void afterARandomHistoryTheCountsEqualTheBooksQueriesFind(Vertx vertx) throws Exception {
    MongoClient mongo = RealMongo.newDatabase(vertx);
    ReadModel readModel = new ReadModel(mongo, true, new Partitioning(3));
    BookProjection projection = new BookProjection(readModel);
    Random random = new Random(7);
    Map<Long, Long> versions = new TreeMap<>();
    List<BookEvent> history = new ArrayList<>();
    for (int step = 0; step < 600; step++) {
      long bid = 1 + random.nextInt(80);
      Long version = versions.get(bid);
      if (version == null) {
        history.add(event(BookEventType.BookCreated, bid, 1, random));
        versions.put(bid, 1L);
      } else if (version > 0 && random.nextInt(5) == 0) {
        history.add(event(BookEventType.BookDeleted, bid, version + 1, random));
        versions.put(bid, -(version + 1));
      } else if (version > 0) {
        history.add(event(BookEventType.BookUpdated, bid, version + 1, random));
        versions.put(bid, version + 1);
      }
    }
    for (int from = 0; from < history.size(); from += 25) {
      List<BookEvent> batch = history.subList(from, Math.min(history.size(), from + 25));
      await(projection.apply(batch));
      if (random.nextBoolean()) {
        await(projection.apply(batch));
      }
    }
    await(projection.apply(history.subList(0, 200)));

    assertEquals(countedByQuery(readModel), await(readModel.counts().read()));
    assertEquals(versions.values().stream().filter(version -> version > 0).count(), await(readModel.size()));
  }

  @Test
  void aPartitionLeftMarkedIsFoundAndItsRecountIsExact(Vertx vertx) throws Exception {
    MongoClient mongo = RealMongo.newDatabase(vertx);
    Partitioning partitioning = new Partitioning(3);
    ReadModel readModel = new ReadModel(mongo, true, partitioning);
    BookProjection projection = new BookProjection(readModel);
    Random random = new Random(11);
    List<BookEvent> created = new ArrayList<>();
    for (long bid = 1; bid <= 30; bid++) {
      created.add(event(BookEventType.BookCreated, bid, 1, random));
    }
    await(projection.apply(created));
    assertEquals(Set.of(), await(readModel.counts().unfinished(partitioning.all())));

    // A process that marked partition p, wrote a book into it and died before adding it to the counts.
    int p = partitioning.of(31);
    await(readModel.counts().markPending(Set.of(p)));
    await(mongo.save("books", new JsonObject().put("_id", 31L).put("title", "Uncounted").put("category", "SF")
        .put("version", 1L).put(BookCounts.PARTITION, p)));
    assertEquals(Set.of(p), await(readModel.counts().unfinished(partitioning.all())));

    await(readModel.counts().recount(Set.of(p)));
    assertEquals(Set.of(), await(readModel.counts().unfinished(partitioning.all())));
    assertEquals(countedByQuery(readModel), await(readModel.counts().read()));
    assertEquals(31L, await(readModel.size()));
  }

  /** What a full count would say: every category's books, found by a list query. */
  private static BookCounts.Totals countedByQuery(ReadModel readModel) throws Exception {
    Map<String, Long> categories = new TreeMap<>();
    long total = 0;
    for (String category : CATEGORIES) {
      long n = await(readModel.countBooks(new BookCriteria(1, 0, "bid", false, List.of(), category, null, null, null, null),
          1_000_000));
      if (n > 0) {
        categories.put(category, n);
      }
      total += n;
    }
    return new BookCounts.Totals(total, categories);
  }

  private static BookEvent event(BookEventType type, long bid, long version, Random random) {
    if (type == BookEventType.BookDeleted) {
      return BookEvent.of("e-" + bid + "-" + version, type, bid, version, Instant.now(), null);
    }
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
    return BookEvent.of("e-" + bid + "-" + version, type, bid, version, at,
        new Book(bid, "Book " + bid, "Author", category, 10, 100, null, "", null, version, at, at));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
