package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.query.RealMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cqrsbooks.query.TestEvents.created;
import static io.cqrsbooks.query.TestEvents.deleted;
import static io.cqrsbooks.query.TestEvents.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The projection on a real MongoDB-wire server, with and without the atomic version guard: whatever order
 * and however often events arrive, the read model ends at each book's newest version, and deleted stays deleted.
 */
@ExtendWith(VertxExtension.class)
class BookProjectionTest {

  @ParameterizedTest(name = "atomic guard {0}")
  @ValueSource(booleans = {false, true})
  void duplicatesReplaysAndStaleEventsChangeNothingAndAreNotReportedAsChanges(boolean guard, Vertx vertx)
      throws Exception {
    ReadModel readModel = readModel(vertx, guard);
    BookProjection projection = new BookProjection(readModel);

    List<BookEvent> applied = await(projection.apply(List.of(created(1, "One"), updated(1, 2, "One, v2"),
        created(2, "Two"), updated(1, 2, "One, v2"))));
    assertEquals(List.of("1@2", "2@1"), describe(applied), "one change per book, its newest");
    assertEquals(List.of(), await(projection.apply(List.of(created(1, "One"), updated(1, 2, "One, v2")))),
        "a replay changes nothing");
    assertEquals("One, v2", await(readModel.findBook(1)).getString("title"));
    assertEquals(2L, await(readModel.findBook(1)).getLong("version"));
  }

  @ParameterizedTest(name = "atomic guard {0}")
  @ValueSource(booleans = {false, true})
  void aDeletedBookIsNotBroughtBackByALateOrReplayedOlderEvent(boolean guard, Vertx vertx) throws Exception {
    ReadModel readModel = readModel(vertx, guard);
    BookProjection projection = new BookProjection(readModel);
    await(projection.apply(List.of(created(7, "Doomed"), updated(7, 2, "Doomed, v2"), deleted(7, 3))));
    assertNull(await(readModel.findBook(7)));

    assertEquals(List.of(), await(projection.apply(List.of(updated(7, 2, "Doomed, v2")))));
    assertEquals(List.of(), await(projection.apply(List.of(created(7, "Doomed")))));
    assertNull(await(readModel.findBook(7)), "still deleted");
    assertEquals(3L, await(readModel.visibleVersions(List.of(7L))).get(7L), "the tombstone's version is visible");
  }

  /**
   * A process killed between a deletion's two writes leaves the tombstone and the document; its offset was
   * not committed, so the event comes again. It is not newer than the tombstone, yet the book must go.
   */
  @ParameterizedTest(name = "atomic guard {0}")
  @ValueSource(booleans = {false, true})
  void aDeletionCutOffBetweenItsTwoWritesIsFinishedWhenItsEventComesAgain(boolean guard, Vertx vertx) throws Exception {
    MongoClient mongo = RealMongo.newDatabase(vertx);
    ReadModel readModel = new ReadModel(mongo, guard, new Partitioning(3));
    BookProjection projection = new BookProjection(readModel);
    await(projection.apply(List.of(created(8, "Half deleted"))));
    await(mongo.save("book_tombstones", new JsonObject().put("_id", 8L).put("version", 2L)));
    assertEquals(1L, await(readModel.findBook(8)).getLong("version"), "the state a kill between the writes leaves");

    await(projection.apply(List.of(deleted(8, 2))));
    assertNull(await(readModel.findBook(8)), "the redelivered deletion removed the document");
    assertEquals(2L, await(readModel.visibleVersions(List.of(8L))).get(8L));
  }

  @ParameterizedTest(name = "atomic guard {0}")
  @ValueSource(booleans = {true})
  void withTheGuardTwoWritersRacingOverTheSameBooksNeverGoBackwards(boolean guard, Vertx vertx) throws Exception {
    ReadModel readModel = readModel(vertx, guard);
    // Two projections (as in two query processes during a rebalance) apply overlapping histories at once.
    BookProjection first = new BookProjection(readModel);
    BookProjection second = new BookProjection(readModel);
    List<Future<List<BookEvent>>> writes = new ArrayList<>();
    for (int version = 1; version <= 20; version++) {
      List<BookEvent> batch = new ArrayList<>();
      for (long bid = 100; bid < 110; bid++) {
        batch.add(version == 1 ? created(bid, "Raced " + bid) : updated(bid, version, "Raced " + bid + " v" + version));
      }
      writes.add((version % 2 == 0 ? first : second).apply(batch));
      if (version % 5 == 0) {
        writes.add(first.apply(batch.subList(0, 5)));
      }
    }
    await(Future.join(new ArrayList<>(writes)));
    for (long bid = 100; bid < 110; bid++) {
      assertEquals(20L, await(readModel.findBook(bid)).getLong("version"), "book " + bid);
    }
  }

  private static ReadModel readModel(Vertx vertx, boolean guard) throws Exception {
    ReadModel readModel = new ReadModel(RealMongo.newDatabase(vertx), guard, new Partitioning(3));
    await(readModel.ensureIndexes());
    return readModel;
  }

  private static List<String> describe(List<BookEvent> events) {
    return events.stream().map(event -> event.bid() + "@" + event.version()).sorted().toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
