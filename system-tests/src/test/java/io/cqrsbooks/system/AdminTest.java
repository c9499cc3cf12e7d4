package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.cqrsbooks.system.TestSystem.book;
import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query side's admin API and `./run.sh admin`: dead letters an operator can act on, and the rebuild. */
class AdminTest extends SystemTest {

  @Test
  void theAdminRoutesNeedATokenWithTheAdminScope() {
    assertEquals(401, system.admin(HttpMethod.GET, "/api/admin/dead-letters", "Authorization", "").statusCode());
    HttpResponse<Buffer> writer = system.admin(HttpMethod.POST, "/api/admin/rebuild", "Authorization", "Bearer " + system.token);
    assertEquals(403, writer.statusCode(), writer.bodyAsString());
    assertEquals("Authorization", writer.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
    assertFalse(system.get("/status").bodyAsJsonObject().getBoolean("rebuilding"), "a refused request started nothing");
    assertEquals(200, system.admin(HttpMethod.GET, "/api/admin/dead-letters").statusCode());

    HttpResponse<Buffer> badPage = system.admin(HttpMethod.GET, "/api/admin/dead-letters?limit=0&colour=red");
    assertEquals(400, badPage.statusCode());
    JsonArray details = badPage.bodyAsJsonObject().getJsonArray("details");
    assertEquals(List.of("colour", "limit"), details.stream().map(d -> ((JsonObject) d).getString("field")).sorted().toList());
  }

  @Test
  void aDeadLetterCanBeListedShownRetriedAndDiscardedAndEachRetryIsNoted() {
    system.publishRaw("4242", "not an event at all");
    JsonObject listed = awaitLetter(letter -> "not an event at all".equals(letter.getString("value")));
    String id = listed.getString("id");
    assertTrue(id.startsWith(system.config().getJsonObject("kafka").getString("topic") + "-"), id);

    JsonObject shown = system.admin(HttpMethod.GET, "/api/admin/dead-letters/" + id).bodyAsJsonObject();
    assertEquals("4242", shown.getString("key"));
    assertTrue(shown.getString("reason").startsWith("not a book event"), shown.encode());

    HttpResponse<Buffer> retried = system.admin(HttpMethod.POST, "/api/admin/dead-letters/" + id + "/retry");
    assertEquals(422, retried.statusCode(), retried.bodyAsString());
    assertEquals("event", retried.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
    JsonObject noted = system.admin(HttpMethod.GET, "/api/admin/dead-letters/" + id).bodyAsJsonObject();
    assertEquals(1, noted.getInteger("retries"));
    assertEquals("system-test-operator", noted.getJsonObject("lastRetry").getString("by"));

    assertEquals(204, system.admin(HttpMethod.DELETE, "/api/admin/dead-letters/" + id).statusCode());
    assertEquals(404, system.admin(HttpMethod.GET, "/api/admin/dead-letters/" + id).statusCode());
    assertEquals(404, system.admin(HttpMethod.DELETE, "/api/admin/dead-letters/" + id).statusCode());
    assertEquals(404, system.admin(HttpMethod.POST, "/api/admin/dead-letters/" + id + "/retry").statusCode());
  }

  /**
   * An operator's unique index on titles makes MongoDB refuse a second book of the same title for good. That
   * event is set aside, not retried forever: the partition moves on (the same book's next event applies).
   * Once the index is gone, retrying the letters applies what is still missing.
   */
  @Test
  void aWriteMongoDbRefusesForGoodIsSetAsideWithoutHoldingItsPartitionAndAppliesOnRetryAfterTheFix() {
    String books = system.stores().booksCollection();
    await(system.mongo().createIndexWithOptions(books, new JsonObject().put("title", 1), new IndexOptions().unique(true)));
    long refused;
    try {
      // One after the other: the three books lie on different partitions, whose batches may be written in
      // any order, and the test needs the first to be the one stored.
      long first = system.createBook(book("Clash", 1, 1)).bodyAsJsonObject().getLong("bid");
      awaitTrue("the first book stored", Duration.ofSeconds(20), () -> system.get("/api/books/" + first).statusCode() == 200);
      long renamed = system.createBook(book("Clash", 2, 2)).bodyAsJsonObject().getLong("bid");
      JsonObject renamedLetter = awaitLetter(letter -> String.valueOf(renamed).equals(letter.getString("key")));
      assertTrue(renamedLetter.getString("reason").contains("code 11000"), renamedLetter.encode());
      refused = system.createBook(book("Clash", 3, 3)).bodyAsJsonObject().getLong("bid");
      JsonObject refusedLetter = awaitLetter(letter -> String.valueOf(refused).equals(letter.getString("key")));

      // The same book's next event is on the same partition: it applies, so the partition was not held.
      HttpResponse<Buffer> update = system.command(HttpMethod.PUT, "/api/books/" + renamed, book("Clash, renamed", 2, 2),
          "If-Match", "\"1\"");
      assertEquals(200, update.statusCode(), update.bodyAsString());
      assertEquals("Clash, renamed", system.get("/api/books/" + renamed, "X-Consistency-Token",
          update.getHeader("X-Consistency-Token")).bodyAsJsonObject().getString("title"));

      JsonObject superseded = system.admin(HttpMethod.POST, "/api/admin/dead-letters/" + renamedLetter.getString("id") + "/retry")
          .bodyAsJsonObject();
      assertEquals("already superseded", superseded.getString("outcome"), superseded.encode());
      HttpResponse<Buffer> stillRefused = system.admin(HttpMethod.POST,
          "/api/admin/dead-letters/" + refusedLetter.getString("id") + "/retry");
      assertEquals(422, stillRefused.statusCode(), stillRefused.bodyAsString());
      assertEquals(404, system.get("/api/books/" + refused).statusCode());
    } finally {
      await(system.mongo().dropIndex(books, "title_1"));
    }
    JsonObject all = system.admin(HttpMethod.POST, "/api/admin/dead-letters/retry").bodyAsJsonObject();
    assertTrue(all.getInteger("applied") >= 1, all.encode());
    assertEquals(0, all.getJsonArray("stillFailing").stream()
        .filter(failing -> !((JsonObject) failing).getString("reason").startsWith("not a book event")).count(), all.encode());
    assertEquals(200, system.get("/api/books/" + refused).statusCode(), "applied once the index was dropped");
  }

  /**
   * The rebuild copies MySQL into a new generation while writes go on and queries keep being answered from
   * the current one; a second request meanwhile is refused; then queries read the new generation, it holds
   * exactly MySQL's books, and the old one is dropped.
   */
  @Test
  void aRebuildKeepsQueriesAnsweredSwitchesToTheNewGenerationAndDropsTheOld() throws Exception {
    for (int i = 0; i < 150; i++) {
      system.createBook(book("Before the rebuild " + i, i + 1, i));
    }
    // The reader below holds every answer to at least these books: they must have reached the read model first.
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
    String oldBooks = system.stores().booksCollection();
    int before = system.get("/status").bodyAsJsonObject().getInteger("generation");
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    ConcurrentLinkedQueue<String> failedReads = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      while (reading.get()) {
        HttpResponse<Buffer> page = system.get("/api/books?limit=5");
        reads.incrementAndGet();
        if (page.statusCode() != 200 || page.bodyAsJsonObject().getLong("total") < 150) {
          failedReads.add(page.statusCode() + " " + page.bodyAsString());
        }
      }
    }, "reader");
    try (BackgroundWriter writer = BackgroundWriter.start(system, "during-rebuild", 7, 20, Long.MAX_VALUE)) {
      reader.start();
      HttpResponse<Buffer> started = system.admin(HttpMethod.POST, "/api/admin/rebuild");
      assertEquals(202, started.statusCode(), started.bodyAsString());
      assertEquals(before + 1, started.bodyAsJsonObject().getInteger("generation"));
      assertEquals("system-test-operator", started.bodyAsJsonObject().getString("requestedBy"));
      assertEquals(1.0, metrics().sum("cqrs_read_model_rebuilding"));
      HttpResponse<Buffer> second = system.admin(HttpMethod.POST, "/api/admin/rebuild");
      assertEquals(409, second.statusCode(), second.bodyAsString());
      assertTrue(system.get("/status").bodyAsJsonObject().getBoolean("rebuilding"));

      awaitTrue("the rebuild switched", Duration.ofSeconds(90), () -> {
        JsonObject status = system.get("/status").bodyAsJsonObject();
        return status.getInteger("generation") == before + 1 && !status.getBoolean("rebuilding");
      });
      JsonObject rebuild = system.get("/status").bodyAsJsonObject().getJsonObject("lastRebuild");
      assertEquals("switched", rebuild.getString("state"), rebuild.encode());
      assertTrue(rebuild.getLong("copied") >= 150, rebuild.encode());
      Scrape after = metrics();
      assertEquals(before + 1, after.sum("cqrs_read_model_generation"));
      assertEquals(0.0, after.sum("cqrs_read_model_rebuilding"));
      Waits.sleep(1000);
      writer.close();
      assertTrue(writer.unexpected.isEmpty(), writer.unexpected.toString());
    } finally {
      reading.set(false);
      reader.join();
    }
    assertEquals(List.of(), new ArrayList<>(failedReads), "queries failed during the rebuild");
    assertTrue(reads.get() > 20, "only " + reads.get() + " reads during the rebuild");
    assertFalse(system.stores().booksCollection().equals(oldBooks));
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
    awaitTrue("the totals are the new generation's books", Duration.ofSeconds(30), () ->
        system.get("/api/categories").bodyAsJsonObject().getLong("total") == system.countRows("books"));
    awaitTrue("the old generation dropped", Duration.ofSeconds(30),
        () -> !await(system.mongo().getCollections()).contains(oldBooks));
  }

  /**
   * A rebuild whose copy MongoDB refuses (an index on the new generation that MySQL's books break) fails,
   * says why, and leaves the current generation serving; the next request may start another.
   */
  @Test
  void aFailedRebuildLeavesTheCurrentGenerationServingAndSaysWhy() {
    system.createBook(book("Twin", 1, 1));
    long twin = system.createBook(book("Twin", 2, 2)).bodyAsJsonObject().getLong("bid");
    int before = system.get("/status").bodyAsJsonObject().getInteger("generation");
    HttpResponse<Buffer> started = system.admin(HttpMethod.POST, "/api/admin/rebuild");
    assertEquals(202, started.statusCode(), started.bodyAsString());
    // The copy starts two watchdog periods after the claim: time to give the new generation its trap.
    await(system.mongo().createIndexWithOptions("books_g" + (before + 1), new JsonObject().put("title", 1),
        new IndexOptions().unique(true)));

    awaitTrue("the rebuild failed", Duration.ofSeconds(60), () -> {
      JsonObject rebuild = system.get("/status").bodyAsJsonObject().getJsonObject("lastRebuild");
      return rebuild != null && rebuild.getString("state").equals("failed");
    });
    JsonObject status = system.get("/status").bodyAsJsonObject();
    assertTrue(status.getJsonObject("lastRebuild").getString("error").contains("11000"), status.encode());
    assertEquals(before, status.getInteger("generation"));
    assertFalse(status.getBoolean("rebuilding"));
    assertEquals(200, system.get("/api/books/" + twin).statusCode(), "the current generation still serves");
    HttpResponse<Buffer> again = system.admin(HttpMethod.POST, "/api/admin/rebuild");
    assertEquals(202, again.statusCode(), "a failed rebuild does not block the next: " + again.bodyAsString());
    awaitTrue("the next rebuild switched", Duration.ofSeconds(60),
        () -> system.get("/status").bodyAsJsonObject().getInteger("generation") == before + 1);
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
  }

  /** `./run.sh admin ...` is this command in a process of its own. */
  @Test
  void theAdminCommandListsAndDiscardsDeadLettersAndRunsARebuild() {
    system.publishRaw("5151", "left for the command line");
    String id = awaitLetter(letter -> "left for the command line".equals(letter.getString("value"))).getString("id");

    Run list = admin("dead-letters", "list");
    assertEquals(0, list.exitCode, list.output);
    assertTrue(list.output.contains(id), list.output);
    Run discard = admin("dead-letters", "discard", id);
    assertEquals(0, discard.exitCode, discard.output);
    Run show = admin("dead-letters", "show", id);
    assertEquals(1, show.exitCode, show.output);
    assertTrue(show.output.contains("HTTP 404"), show.output);

    int before = system.get("/status").bodyAsJsonObject().getInteger("generation");
    Run rebuild = admin("rebuild");
    assertEquals(0, rebuild.exitCode, rebuild.output);
    assertTrue(rebuild.output.contains("done:"), rebuild.output);
    assertEquals(before + 1, system.get("/status").bodyAsJsonObject().getInteger("generation"));

    Run usage = admin("dead-letters", "juggle");
    assertEquals(2, usage.exitCode, usage.output);
    assertTrue(usage.output.contains("usage:"), usage.output);
  }

  private static Scrape metrics() {
    return Scrape.parse(system.get("/metrics").bodyAsString());
  }

  private record Run(int exitCode, String output) {
  }

  private static int runs;

  private static Run admin(String... words) {
    List<String> arguments = new ArrayList<>(List.of("admin", "--url", "http://127.0.0.1:" + system.queryPort));
    arguments.addAll(List.of(words));
    SideProcess process = SideProcess.start("admin-cli-" + (++runs), "128m", arguments,
        Map.of("CQRS_EMBEDDED", "false", "CQRS_AUTH_JWT_SECRET", TestSystem.SECRET), system.dataDir);
    int exitCode = process.exitCode(Duration.ofSeconds(120));
    return new Run(exitCode, process.log());
  }

  private static JsonObject awaitLetter(java.util.function.Predicate<JsonObject> which) {
    JsonObject[] found = new JsonObject[1];
    awaitTrue("the dead letter listed", Duration.ofSeconds(20), () -> {
      JsonObject page = system.admin(HttpMethod.GET, "/api/admin/dead-letters?limit=100").bodyAsJsonObject();
      found[0] = page.getJsonArray("items").stream().map(JsonObject.class::cast).filter(which).findFirst().orElse(null);
      return found[0] != null;
    });
    assertNotNull(found[0]);
    return found[0];
  }
}
