package io.cqrsbooks.system;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** Commands reaching the MongoDB read model through Kafka, and the promises of the read side. */
class ReadModelTest extends SystemTest {


  @Test
  void createUpdateAndDeleteReachTheReadModel() {
    HttpResponse<Buffer> created = system.createBook(book("Propagated", 300, 4200));
    long bid = created.bodyAsJsonObject().getLong("bid");
    HttpResponse<Buffer> read = system.get("/api/books/" + bid, "X-Consistency-Token", created.getHeader("X-Consistency-Token"));
    assertEquals(200, read.statusCode());
    assertEquals(created.bodyAsJsonObject(), read.bodyAsJsonObject(), "the read model holds exactly what was written");

    HttpResponse<Buffer> updated = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Propagated, revised", 301, 4300));
    JsonObject afterUpdate = system.get("/api/books/" + bid, "X-Consistency-Token", updated.getHeader("X-Consistency-Token"))
        .bodyAsJsonObject();
    assertEquals("Propagated, revised", afterUpdate.getString("title"));
    assertEquals(2, afterUpdate.getLong("version"));

    HttpResponse<Buffer> deleted = system.command(HttpMethod.DELETE, "/api/books/" + bid, null);
    assertEquals(204, deleted.statusCode());
    HttpResponse<Buffer> gone = system.get("/api/books/" + bid, "X-Consistency-Token", deleted.getHeader("X-Consistency-Token"));
    assertEquals(404, gone.statusCode());
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(20));
  }

  @Test
  void aDeletionHalfAppliedDoesNotSatisfyItsToken() {
    HttpResponse<Buffer> created = system.createBook(book("Half deleted", 1, 1));
    long bid = created.bodyAsJsonObject().getLong("bid");
    assertEquals(200, system.get("/api/books/" + bid, "X-Consistency-Token", created.getHeader("X-Consistency-Token"))
        .statusCode());
    // What a reader can see between the two writes of a deletion: its tombstone is recorded, the book not yet removed.
    JsonObject tombstone = new JsonObject().put("_id", bid).put("version", 2L);
    await(system.mongo().insert("book_tombstones", tombstone));
    try {
      HttpResponse<Buffer> read = system.get("/api/books/" + bid, "X-Consistency-Token", bid + ".2");
      assertEquals(503, read.statusCode(), "a query waiting for the deletion must not be answered with the book");
    } finally {
      await(system.mongo().removeDocuments("book_tombstones", new JsonObject().put("_id", bid)));
    }
  }

  @Test
  void aQueryWithTheTokenAlwaysSeesTheWrite() {
    for (int i = 0; i < 30; i++) {
      HttpResponse<Buffer> created = system.createBook(book("Read your write " + i, 10 + i, i));
      long bid = created.bodyAsJsonObject().getLong("bid");
      HttpResponse<Buffer> list = system.get("/api/books?sort=-bid&limit=5", "X-Consistency-Token",
          created.getHeader("X-Consistency-Token"));
      assertEquals(200, list.statusCode());
      assertEquals(bid, list.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getLong("bid"), "write " + i);
    }
  }

  @Test
  void aQueryWithSeveralTokensWaitsForTheLastOfThem() {
    String tag = "W" + UUID.randomUUID().toString().substring(0, 8);
    String first = system.createBook(book(tag + " first", 1, 1)).getHeader("X-Consistency-Token");
    long second = system.createBook(book(tag + " second", 1, 1)).bodyAsJsonObject().getLong("bid");
    // Waits for the first create and for the second book's next version, which is not written yet.
    CompletableFuture<HttpResponse<Buffer>> waiting = CompletableFuture.supplyAsync(
        () -> system.get("/api/books?q=" + tag, "X-Consistency-Token", first + ", " + second + ".2"));
    Waits.sleep(500);
    assertFalse(waiting.isDone(), "answered before its last token was satisfied");
    system.command(HttpMethod.PUT, "/api/books/" + second, book(tag + " second, revised", 2, 2));
    HttpResponse<Buffer> list = waiting.join();
    assertEquals(200, list.statusCode());
    assertEquals(List.of(tag + " first", tag + " second, revised"), list.bodyAsJsonObject().getJsonArray("items")
        .stream().map(item -> ((JsonObject) item).getString("title")).sorted().toList());
  }

  @Test
  void aTokenTheReadModelCannotReachTimesOutWith503AndABadOneIs400() {
    HttpResponse<Buffer> never = system.get("/api/books/1", "X-Consistency-Token", "999999.1");
    assertEquals(503, never.statusCode());
    assertEquals("application/json", never.getHeader("Content-Type"));
    assertEquals(400, system.get("/api/books", "X-Consistency-Token", "garbage").statusCode());
    HttpResponse<Buffer> oneBad = system.get("/api/books", "X-Consistency-Token", "1.1, garbage");
    assertEquals(400, oneBad.statusCode());
    assertEquals("X-Consistency-Token", oneBad.bodyAsJsonObject().getJsonArray("details").getJsonObject(0)
        .getString("field"));
    assertEquals(503, system.get("/api/books", "X-Consistency-Token", "1.1, 999999.1").statusCode(),
        "one token the read model cannot reach holds the whole list");
  }

  @Test
  void listQueriesFilterSortAndPage() {
    String tag = "Q" + UUID.randomUUID().toString().substring(0, 8);
    List<String> tokens = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      tokens.add(system.createBook(book(tag + " volume " + i, 100 * i, 1000 - i)).getHeader("X-Consistency-Token"));
    }
    // All seven tokens: the books travel different partitions, so the last one's token alone would not
    // promise the others (that assumption failed one CI run with 6 of 7).
    JsonObject page = system.get("/api/books?q=" + tag.toLowerCase() + "&sort=price&limit=3&offset=2",
        "X-Consistency-Token", String.join(", ", tokens)).bodyAsJsonObject();
    assertEquals(7, page.getLong("total"));
    assertEquals(3, page.getInteger("limit"));
    assertEquals(2, page.getInteger("offset"));
    assertEquals(List.of(995L, 996L, 997L), page.getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getLong("price")).toList());
    JsonObject priced = system.get("/api/books?q=" + tag + "&minPrice=994&maxPrice=995").bodyAsJsonObject();
    assertEquals(2, priced.getLong("total"));
    assertEquals(400, system.get("/api/books?sort=colour").statusCode());
    assertEquals(400, system.get("/api/books?limit=501").statusCode());
  }

  @Test
  void cursorsPageThroughAListAndTotalsAndCategoriesAreTheProjectionsCounts() {
    String tag = "K" + UUID.randomUUID().toString().substring(0, 8);
    String first = tag + "-a.b";
    String second = tag + "-b";
    List<String> tokens = new ArrayList<>();
    List<Long> bids = new ArrayList<>();
    for (int i = 1; i <= 11; i++) {
      HttpResponse<Buffer> created = system.createBook(book(tag + " part " + i, i, 100 + i % 3).put("category", i <= 4 ? first : second));
      tokens.add(created.getHeader("X-Consistency-Token"));
      bids.add(created.bodyAsJsonObject().getLong("bid"));
    }
    HttpResponse<Buffer> moved = system.command(HttpMethod.PUT, "/api/books/" + bids.get(5),
        book(tag + " part 6", 6, 100).put("category", first), "If-Match", "\"1\"");
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    tokens.add(moved.getHeader("X-Consistency-Token"));
    HttpResponse<Buffer> deleted = system.command(HttpMethod.DELETE, "/api/books/" + bids.get(0), null, "If-Match", "\"1\"");
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    tokens.add(deleted.getHeader("X-Consistency-Token"));
    String consistent = String.join(", ", tokens);

    // Totals: the projection's counts equal what MySQL holds, overall and for each category.
    JsonObject categories = system.get("/api/categories", "X-Consistency-Token", consistent).bodyAsJsonObject();
    assertEquals(system.countRows("books"), categories.getLong("total"));
    JsonObject counts = new JsonObject();
    categories.getJsonArray("categories").forEach(c -> counts.put(((JsonObject) c).getString("name"), ((JsonObject) c).getLong("count")));
    assertEquals(4L, counts.getLong(first), "four created, one deleted, one moved in: " + categories.encode());
    assertEquals(6L, counts.getLong(second), categories.encode());
    JsonObject inFirst = system.get("/api/books?category=" + first + "&limit=1").bodyAsJsonObject();
    assertEquals(4L, inFirst.getLong("total"));
    assertFalse(inFirst.getBoolean("totalCapped"));

    // Cursors: forwards three at a time by price, then back from the last page, each book once, in order.
    String list = "/api/books?q=" + tag + "&sort=-price&limit=3";
    List<Long> whole = bidsOf(system.get(list.replace("limit=3", "limit=50")).bodyAsJsonObject());
    assertEquals(10, whole.size());
    JsonObject page = system.get(list).bodyAsJsonObject();
    assertNull(page.getString("previous"));
    String priceCursor = page.getString("next");
    List<Long> forwards = new ArrayList<>(bidsOf(page));
    while (page.getString("next") != null) {
      page = system.get(list + "&after=" + page.getString("next")).bodyAsJsonObject();
      forwards.addAll(bidsOf(page));
    }
    assertEquals(whole, forwards);
    List<Long> backwards = new ArrayList<>(bidsOf(page));
    while (page.getString("previous") != null) {
      page = system.get(list + "&before=" + page.getString("previous")).bodyAsJsonObject();
      backwards.addAll(0, bidsOf(page));
    }
    assertEquals(whole, backwards);
    HttpResponse<Buffer> otherSort = system.get("/api/books?sort=title&after=" + priceCursor);
    assertEquals(400, otherSort.statusCode(), "a cursor is for the sort it was made for");
    assertEquals("after", otherSort.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
  }

  private static List<Long> bidsOf(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("bid")).toList();
  }

  @Test
  void everyAppliedChangeIsPushedToOpenStreams() throws Exception {
    HttpClient client = system.vertx.createHttpClient();
    StringBuffer received = new StringBuffer();
    // The whole chain is set up on one event loop, so the handler is attached before any chunk can arrive
    // (set up from the test thread, a fast response could complete before the handler was attached).
    Promise<HttpClientResponse> opened = Promise.promise();
    system.vertx.runOnContext(start -> client.request(HttpMethod.GET, system.queryPort, "127.0.0.1", "/api/books/changes")
        .compose(request -> request.send())
        .map(response -> response.handler(chunk -> received.append(chunk.toString())))
        .onComplete(opened));
    HttpClientResponse stream = await(opened.future());
    assertEquals("text/event-stream; charset=utf-8", stream.getHeader("Content-Type"));
    awaitTrue("stream connected", Duration.ofSeconds(5), () -> received.toString().contains(": connected"));

    long bid = system.createBook(book("Live", 1, 1)).bodyAsJsonObject().getLong("bid");
    awaitTrue("change pushed", Duration.ofSeconds(10),
        () -> received.toString().contains("\"type\":\"BookCreated\",\"bid\":" + bid + ","));
    String frame = received.substring(received.indexOf("event: change"));
    JsonObject change = new JsonObject(frame.substring(frame.indexOf("data: ") + 6, frame.indexOf("\n\n")));
    assertEquals("Live", change.getJsonObject("book").getString("title"));
    await(client.close());
  }

  @Test
  void duplicateAndOutOfOrderEventsChangeNothing() {
    long bid = system.createBook(book("Guarded", 1, 1)).bodyAsJsonObject().getLong("bid");
    system.command(HttpMethod.PUT, "/api/books/" + bid, book("Guarded v2", 2, 2));
    String token = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Guarded v3", 3, 3)).getHeader("X-Consistency-Token");
    assertEquals(200, system.get("/api/books/" + bid, "X-Consistency-Token", token).statusCode());
    long appliedBefore = system.queryStatus().toJson().getLong("eventsApplied");

    Book stored = system.mysqlBooks().stream().filter(b -> b.bid() == bid).findFirst().orElseThrow();
    Book older = new Book(bid, "STALE", "", "", 9, 9, null, "", null, 2, stored.createdAt(), stored.updatedAt());
    publishEvent(BookEventType.BookUpdated, older);                          // out of order
    publishEvent(BookEventType.BookUpdated, stored);                         // duplicate of the newest
    publishEvent(BookEventType.BookCreated, new Book(bid, "STALE", "", "", 9, 9, null, "", null, 1,
        stored.createdAt(), stored.createdAt()));                            // replay of the creation
    awaitProcessedUpTo(bid);

    assertEquals(appliedBefore, system.queryStatus().toJson().getLong("eventsApplied"), "nothing applied");
    assertEquals("Guarded v3", system.get("/api/books/" + bid).bodyAsJsonObject().getString("title"));
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(10));
  }

  @Test
  void aDeletedBookIsNotBroughtBackByLateEvents() {
    HttpResponse<Buffer> created = system.createBook(book("Doomed", 1, 1));
    long bid = created.bodyAsJsonObject().getLong("bid");
    Book original = BookJson.fromJson(created.bodyAsJsonObject());
    String token = system.command(HttpMethod.DELETE, "/api/books/" + bid, null).getHeader("X-Consistency-Token");
    assertEquals(404, system.get("/api/books/" + bid, "X-Consistency-Token", token).statusCode());

    publishEvent(BookEventType.BookCreated, original);
    awaitProcessedUpTo(bid);
    assertEquals(404, system.get("/api/books/" + bid).statusCode(), "the tombstone keeps it deleted");
  }

  @Test
  void poisonMessagesAreSetAsideAndTheStreamGoesOn() {
    long before = system.queryStatus().deadLetters();
    system.publishRaw("1", "this is not JSON");
    system.publishRaw("1", "{\"type\":\"BookBurned\",\"bid\":1,\"version\":1}");
    system.publishRaw("1", "{\"type\":\"BookCreated\",\"bid\":1,\"version\":1}");
    awaitTrue("three dead letters", Duration.ofSeconds(15), () -> system.queryStatus().deadLetters() == before + 3);
    JsonObject letter = await(system.mongo().findOne("dead_letters", new JsonObject().put("value", "this is not JSON"), null));
    assertTrue(letter.getString("reason").startsWith("not a book event"), letter.encode());

    HttpResponse<Buffer> after = system.createBook(book("After the poison", 1, 1));
    assertEquals(200, system.get("/api/books/" + after.bodyAsJsonObject().getLong("bid"),
        "X-Consistency-Token", after.getHeader("X-Consistency-Token")).statusCode());
  }

  /**
   * An event written by a newer command side in a form this reader cannot read (its {@code readableFrom} is
   * past this reader's schema) is set aside with a reason naming its version, not applied as if it were
   * understood; the book's later events still apply.
   */
  @Test
  void anEventOfANewerIncompatibleSchemaIsSetAsideNamingItsVersion() {
    HttpResponse<Buffer> created = system.createBook(book("Written by a newer command side", 1, 1));
    long bid = created.bodyAsJsonObject().getLong("bid");
    Book stored = BookJson.fromJson(created.bodyAsJsonObject());
    Book newer = new Book(bid, "FROM THE FUTURE", "", "", 9, 9, null, "", null, 2, stored.createdAt(), stored.updatedAt());
    JsonObject event = new JsonObject(BookJson.encode(BookEvent.of(UUID.randomUUID().toString(),
        BookEventType.BookUpdated, bid, 2, Instant.now(), newer)))
        .put("schemaVersion", BookEvent.SCHEMA_VERSION + 1).put("readableFrom", BookEvent.SCHEMA_VERSION + 1);
    long letters = system.queryStatus().deadLetters();
    system.publishRaw(String.valueOf(bid), event.encode());
    awaitTrue("the newer event set aside", Duration.ofSeconds(15), () -> system.queryStatus().deadLetters() == letters + 1);
    JsonObject letter = await(system.mongo().findOne("dead_letters", new JsonObject().put("key", String.valueOf(bid)), null));
    assertTrue(letter.getString("reason").contains("schema version " + (BookEvent.SCHEMA_VERSION + 1)), letter.encode());
    assertEquals("Written by a newer command side", system.get("/api/books/" + bid).bodyAsJsonObject().getString("title"));

    HttpResponse<Buffer> updated = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Updated by this side", 2, 2));
    assertEquals(200, system.get("/api/books/" + bid, "X-Consistency-Token", updated.getHeader("X-Consistency-Token"))
        .statusCode());
  }

  /**
   * A newer command side that only added fields (its events say readers of this schema can read them) is
   * applied by this query side: the fields it knows are projected, the others ignored.
   */
  @Test
  void anEventOfANewerCompatibleSchemaIsAppliedIgnoringWhatThisReaderDoesNotKnow() {
    HttpResponse<Buffer> created = system.createBook(book("Before the newer command side", 1, 1));
    long bid = created.bodyAsJsonObject().getLong("bid");
    Book stored = BookJson.fromJson(created.bodyAsJsonObject());
    Book newer = new Book(bid, "Written by a newer command side", "", "", 9, 9, null, "", null, 2, stored.createdAt(),
        stored.updatedAt());
    JsonObject event = new JsonObject(BookJson.encode(BookEvent.of(UUID.randomUUID().toString(),
        BookEventType.BookUpdated, bid, 2, Instant.now(), newer)))
        .put("schemaVersion", BookEvent.SCHEMA_VERSION + 1).put("readableFrom", BookEvent.READABLE_FROM);
    event.getJsonObject("book").put("subtitle", "a field this reader does not know");
    // MySQL holds what that command side wrote, so the read model still equals it afterwards.
    await(system.mysql().preparedQuery("UPDATE books SET title = ?, author = '', category = '', pages = 9, price = 9,"
        + " published_date = NULL, description = '', version = 2 WHERE bid = ?").execute(Tuple.of(newer.title(), bid)));
    system.publishRaw(String.valueOf(bid), event.encode());
    awaitTrue("the newer event applied", Duration.ofSeconds(15),
        () -> system.get("/api/books/" + bid).bodyAsJsonObject().getLong("version") == 2);
    JsonObject book = system.get("/api/books/" + bid).bodyAsJsonObject();
    assertEquals("Written by a newer command side", book.getString("title"));
    assertFalse(book.containsKey("subtitle"));
  }

  @Test
  void theQuerySideRestartedMidStreamConvergesToMySql() throws Exception {
    Random random = new Random(42);
    List<Long> live = new ArrayList<>();
    for (int op = 0; op < 150; op++) {
      if (op == 40) {
        system.stopQuerySide();
      }
      if (op == 100) {
        system.startQuerySide();
      }
      int choice = live.isEmpty() ? 0 : random.nextInt(3);
      if (choice == 0) {
        live.add(system.createBook(book("Stream " + op, 1 + op, op)).bodyAsJsonObject().getLong("bid"));
      } else if (choice == 1) {
        long bid = live.get(random.nextInt(live.size()));
        assertEquals(200, system.command(HttpMethod.PUT, "/api/books/" + bid, book("Stream update " + op, 2 + op, op)).statusCode());
      } else {
        long bid = live.remove(random.nextInt(live.size()));
        assertEquals(204, system.command(HttpMethod.DELETE, "/api/books/" + bid, null).statusCode());
      }
    }
    system.awaitReady();
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
  }

  @Test
  void theBootstrapRepairsTheReadModelWithoutGoingBackwards() throws Exception {
    long kept = system.createBook(book("Kept", 1, 1)).bodyAsJsonObject().getLong("bid");
    String token = system.createBook(book("Newest", 1, 1)).getHeader("X-Consistency-Token");
    assertEquals(200, system.get("/api/books/" + kept, "X-Consistency-Token", token).statusCode());
    system.stopQuerySide();

    // Damage the read model: lose one book, invent another, and hold a future version of a third.
    await(system.mongo().removeDocuments("books", new JsonObject().put("_id", kept)));
    JsonObject ghost = BookJson.toJson(new Book(kept + 1_000_000, "Ghost", "", "", 1, 1, null, "", null, 1, Instant.now(), Instant.now()));
    await(system.mongo().insert("books", ghost.put("_id", kept + 1_000_000)));
    long newest = Long.parseLong(token.substring(0, token.indexOf('.')));
    await(system.mongo().updateCollection("books", new JsonObject().put("_id", newest),
        new JsonObject().put("$set", new JsonObject().put("version", 99).put("title", "From the future"))));

    // A restart joins a read model it finds current; an operator who knows it is damaged asks for a copy.
    system.config().getJsonObject("query").put("bootstrap", "copy");
    system.startQuerySide();
    system.awaitReady();
    assertEquals("copied", system.get("/ready").bodyAsJsonObject().getString("bootstrapMode"));
    assertEquals(200, system.get("/api/books/" + kept).statusCode(), "lost book restored");
    assertEquals("From the future", system.get("/api/books/" + newest).bodyAsJsonObject().getString("title"),
        "a newer document is never replaced by an older one");

    // Put the future version back in line and check everything else matches MySQL exactly.
    await(system.mongo().removeDocuments("books", new JsonObject().put("_id", newest)));
    system.stopQuerySide();
    system.startQuerySide();
    system.awaitReady();
    system.config().getJsonObject("query").put("bootstrap", "auto");
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(20));
  }

  private static void publishEvent(BookEventType type, Book book) {
    BookEvent event = BookEvent.of(UUID.randomUUID().toString(), type, book.bid(), book.version(), Instant.now(), book);
    system.publishRaw(String.valueOf(book.bid()), BookJson.encode(event));
  }

  /** A poison message with the same key lands after the events above in the same partition; once it is set aside, they were processed. */
  private static void awaitProcessedUpTo(long bid) {
    long letters = system.queryStatus().deadLetters();
    system.publishRaw(String.valueOf(bid), "marker");
    awaitTrue("events before the marker processed", Duration.ofSeconds(15),
        () -> system.queryStatus().deadLetters() > letters);
  }
}
