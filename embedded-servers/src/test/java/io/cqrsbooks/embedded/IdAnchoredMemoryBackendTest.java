package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.CountOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded server answers exactly as the stock memory backend does (which scans and sorts everything):
 * the index lookup for a named {@code _id} and the bounded selection of sorted pages may only make it
 * cheaper, never change what matches or in which order.
 */
class IdAnchoredMemoryBackendTest {

  private static Vertx vertx;
  private static EmbeddedMongo ours;
  private static MongoServer stock;
  private static MongoClient oursClient;
  private static MongoClient stockClient;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ours = EmbeddedMongo.start(0);
    stock = new MongoServer(new MemoryBackend());
    int stockPort = FreePorts.pick();
    stock.bind("127.0.0.1", stockPort);
    oursClient = client(ours.connectionString());
    stockClient = client("mongodb://127.0.0.1:" + stockPort);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    ours.close();
    stock.shutdownNow();
  }

  private static MongoClient client(String connectionString) {
    return MongoClient.create(vertx, new JsonObject()
        .put("connection_string", connectionString).put("db_name", "anchored"));
  }

  @Test
  void filtersThatNameAnIdMatchWhatAScanMatches() {
    String books = "find_books";
    for (MongoClient client : clients()) {
      for (int bid = 1; bid <= 40; bid++) {
        await(client.insert(books, new JsonObject().put("_id", (long) bid).put("version", (long) (bid % 5 + 1))
            .put("title", "t" + bid)));
      }
    }
    List<JsonObject> filters = List.of(
        json("{\"_id\": 7, \"version\": {\"$lt\": 3}}"),
        json("{\"_id\": 7, \"version\": {\"$lt\": 4}}"),
        json("{\"_id\": 7, \"version\": {\"$gte\": 3}, \"title\": \"t7\"}"),
        json("{\"_id\": 7, \"title\": \"other\"}"),
        json("{\"_id\": 999, \"version\": {\"$lt\": 10}}"),
        json("{\"_id\": {\"$in\": [1, 2, 3]}, \"version\": {\"$gte\": 3}}"),
        json("{\"_id\": 8, \"$or\": [{\"version\": 4}, {\"title\": \"nope\"}]}"),
        json("{\"_id\": {\"$gt\": 35}, \"version\": {\"$lt\": 3}}"),
        json("{\"version\": 2}"));
    for (JsonObject filter : filters) {
      assertEquals(find(stockClient, books, filter), find(oursClient, books, filter), "filter " + filter);
    }
    assertEquals(1, find(oursClient, books, filters.get(1)).size(), "the guarded lookup finds the one older book");
  }

  @Test
  void sortedPagesWithALimitAreTheStockBackendsFirstRowsTiesAndMissingValuesIncluded() {
    String books = "sorted_books";
    for (MongoClient client : clients()) {
      for (int bid = 1; bid <= 300; bid++) {
        JsonObject book = new JsonObject().put("_id", (long) bid).put("price", (long) (bid * 7 % 13))
            .put("category", bid % 3 == 0 ? "SF" : "Poetry").put("title", "t" + (bid % 17))
            .put("words", new JsonArray().add("t" + (bid % 17)).add("w" + (bid % 5)));
        if (bid % 11 != 0) {
          book.put("date", "2020-0" + (1 + bid % 9));
        }
        await(client.insert(books, book));
      }
    }
    List<JsonObject> sorts = List.of(json("{\"_id\": -1}"), json("{\"_id\": 1}"), json("{\"price\": 1}"), json("{\"price\": -1, \"_id\": -1}"),
        json("{\"date\": 1, \"_id\": 1}"), json("{\"date\": -1}"), json("{\"title\": 1, \"price\": -1}"));
    List<JsonObject> filters = List.of(new JsonObject(), json("{\"category\": \"SF\"}"),
        json("{\"price\": {\"$gte\": 4, \"$lte\": 9}}"), json("{\"$or\": [{\"date\": null}, {\"price\": 12}]}"),
        json("{\"_id\": {\"$lt\": 150}}"), json("{\"_id\": {\"$gt\": 290, \"$lt\": 100}}"),
        json("{\"_id\": {\"$gt\": 150, \"$lte\": 150}}"), json("{\"_id\": {\"$gte\": 150, \"$lte\": 150}}"),
        json("{\"$and\": [{\"category\": \"SF\"}, {\"_id\": {\"$gt\": 100, \"$lte\": 200}}, {\"_id\": {\"$gte\": 120}}]}"),
        json("{\"_id\": {\"$not\": {\"$lt\": 280}}}"),
        json("{\"words\": {\"$regex\": \"^t1\"}}"),
        json("{\"$and\": [{\"words\": {\"$regex\": \"^t1\"}}, {\"words\": {\"$regex\": \"^w2\"}}]}"),
        json("{\"title\": {\"$regex\": \"^T1\", \"$options\": \"i\"}, \"words\": {\"$not\": {\"$regex\": \"^w3\"}}}"));
    int compared = 0;
    for (JsonObject sort : sorts) {
      for (JsonObject filter : filters) {
        for (int[] page : new int[][] {{0, 21}, {40, 20}, {0, 1}, {290, 20}, {0, 0}}) {
          FindOptions options = new FindOptions().setSort(sort).setSkip(page[0]).setLimit(page[1]);
          assertEquals(await(stockClient.findWithOptions(books, filter, options)),
              await(oursClient.findWithOptions(books, filter, options)),
              "filter " + filter + ", sort " + sort + ", skip " + page[0] + ", limit " + page[1]);
          compared++;
        }
      }
    }
    assertEquals(7 * 13 * 5, compared);
    for (JsonObject filter : filters) {
      CountOptions atMost = new CountOptions().setLimit(40);
      assertEquals(await(stockClient.countWithOptions(books, filter, atMost)),
          await(oursClient.countWithOptions(books, filter, atMost)), "count of " + filter);
    }
  }

  @Test
  void idOrderedPagesFollowDeletionsAndTheInsertionsThatReuseTheirPlaces() {
    String books = "churned_books";
    JsonObject newestFirst = json("{\"_id\": -1}");
    for (MongoClient client : clients()) {
      for (int bid = 1; bid <= 100; bid++) {
        await(client.insert(books, new JsonObject().put("_id", (long) bid).put("n", bid)));
      }
      await(client.removeDocuments(books, json("{\"n\": {\"$gt\": 80}}")));
      await(client.removeDocuments(books, json("{\"_id\": {\"$in\": [3, 5, 7]}}")));
      // The freed places are reused by these, out of _id order.
      for (long bid : new long[] {500, 2, 90, 81, -4}) {
        await(client.save(books, new JsonObject().put("_id", bid).put("n", 1)));
      }
      await(client.replaceDocuments(books, json("{\"_id\": 90}"), new JsonObject().put("_id", 90L).put("n", 2)));
    }
    for (int[] page : new int[][] {{0, 10}, {0, 1}, {75, 10}, {0, 200}}) {
      FindOptions options = new FindOptions().setSort(newestFirst).setSkip(page[0]).setLimit(page[1]);
      assertEquals(await(stockClient.findWithOptions(books, new JsonObject(), options)),
          await(oursClient.findWithOptions(books, new JsonObject(), options)), "skip " + page[0] + ", limit " + page[1]);
    }
    List<JsonObject> firstRows = await(oursClient.findWithOptions(books, new JsonObject(),
        new FindOptions().setSort(newestFirst).setLimit(3)));
    assertEquals(List.of(500L, 90L, 81L), firstRows.stream().map(row -> row.getLong("_id")).toList());
  }

  @Test
  void guardedReplacesAndDeletesChangeExactlyWhatTheyDoOnAScan() {
    String books = "guarded_books";
    List<List<Boolean>> outcomes = new ArrayList<>();
    for (MongoClient client : clients()) {
      for (int bid = 1; bid <= 20; bid++) {
        await(client.insert(books, new JsonObject().put("_id", (long) bid).put("version", 5L)));
      }
      // newer: replaced; same version: untouched (the upsert then hits the duplicate _id); absent: inserted
      List<BulkOperation> writes = List.of(
          BulkOperation.createReplace(guard(3, 6), new JsonObject().put("_id", 3L).put("version", 6L), true),
          BulkOperation.createReplace(guard(4, 5), new JsonObject().put("_id", 4L).put("version", 5L).put("x", 1), true),
          BulkOperation.createReplace(guard(30, 1), new JsonObject().put("_id", 30L).put("version", 1L), true),
          BulkOperation.createDelete(guard(5, 9)),
          BulkOperation.createDelete(guard(6, 2)));
      List<Boolean> succeeded = new ArrayList<>();
      for (BulkOperation write : writes) {
        succeeded.add(settle(client.bulkWrite(books, List.of(write))));
      }
      outcomes.add(succeeded);
    }
    assertEquals(outcomes.get(0), outcomes.get(1), "which writes failed (the duplicate _id)");
    assertEquals(List.of(true, false, true, true, true), outcomes.get(1));
    JsonObject everything = new JsonObject();
    List<JsonObject> expected = find(stockClient, books, everything);
    assertEquals(expected, find(oursClient, books, everything));
    assertTrue(expected.contains(new JsonObject().put("_id", 3L).put("version", 6L)), "the newer replace landed");
    assertTrue(expected.contains(new JsonObject().put("_id", 6L).put("version", 5L)), "the stale delete did not");
    assertEquals(20, expected.size(), "one inserted, one deleted");
  }

  private static List<MongoClient> clients() {
    return List.of(stockClient, oursClient);
  }

  private static JsonObject guard(long bid, long version) {
    return new JsonObject().put("_id", bid).put("version", new JsonObject().put("$lt", version));
  }

  private static List<JsonObject> find(MongoClient client, String collection, JsonObject filter) {
    return await(client.findWithOptions(collection, filter, new FindOptions().setSort(new JsonObject().put("_id", 1))));
  }

  private static JsonObject json(String text) {
    return new JsonObject(text);
  }

  private static boolean settle(Future<?> future) {
    try {
      future.await(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception failed) {
      return false;
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
