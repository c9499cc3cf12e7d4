package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.cqrsbooks.system.TestSystem.book;
import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events that evolve: schema 1 events (what the command side wrote before ISBNs, recorded verbatim) still
 * project, from Kafka and from the outbox; what the command side emits now validates against the JSON
 * Schema in docs/; and the ISBN itself, from the API to the read model and back.
 */
class EventSchemaTest extends SystemTest {

  private static final Path RECORDED = Path.of("../books-contract/src/test/resources/events");
  private static final Validator EVENT_SCHEMA = Validator.create(
      JsonSchema.of(new JsonObject(read(Path.of("../docs/book-event.schema.json")))),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://cqrs-books.example/"));

  /** A command side of schema 1 beside this query side: its events, already in Kafka, project as they are. */
  @Test
  void schema1EventsOnTheTopicProjectWithoutAnIsbn() {
    long bid = 900_001;
    system.publishRaw(String.valueOf(bid), recordedFor("v1/book-created.json", bid));
    awaitTrue("the schema 1 creation projected", Duration.ofSeconds(15),
        () -> system.get("/api/books/" + bid).statusCode() == 200);
    JsonObject created = system.get("/api/books/" + bid).bodyAsJsonObject();
    assertEquals("The Pragmatic Programmer", created.getString("title"));
    assertNull(created.getValue("isbn"));

    system.publishRaw(String.valueOf(bid), recordedFor("v1/book-updated.json", bid));
    awaitTrue("the schema 1 update projected", Duration.ofSeconds(15),
        () -> system.get("/api/books/" + bid).bodyAsJsonObject().getLong("version") == 2);
    system.publishRaw(String.valueOf(bid), recordedFor("v1/book-deleted.json", bid));
    awaitTrue("the schema 1 deletion projected", Duration.ofSeconds(15),
        () -> system.get("/api/books/" + bid).statusCode() == 404);
  }

  /** Rows a schema 1 command side left unpublished in the outbox are published after the upgrade and project. */
  @Test
  void schema1EventsLeftInTheOutboxArePublishedAndProject() {
    HttpResponse<Buffer> created = system.createBook(book("Left in the outbox", 1, 1));
    long bid = created.bodyAsJsonObject().getLong("bid");
    String payload = recordedFor("v1/book-updated.json", bid);
    LocalDateTime now = LocalDateTime.now(java.time.ZoneOffset.UTC);
    await(system.mysql().preparedQuery("UPDATE books SET title = ?, version = 2 WHERE bid = ?")
        .execute(Tuple.of(new JsonObject(payload).getJsonObject("book").getString("title"), bid)));
    await(system.mysql().preparedQuery("INSERT INTO outbox (event_id, bid, version, event_type, payload, created_at)"
            + " VALUES (?, ?, 2, 'BookUpdated', ?, ?)")
        .execute(Tuple.of(UUID.randomUUID().toString(), bid, payload, now)));
    awaitTrue("the schema 1 outbox row projected", Duration.ofSeconds(20),
        () -> system.get("/api/books/" + bid).bodyAsJsonObject().getLong("version") == 2);
    assertEquals("The Pragmatic Programmer, 20th Anniversary Edition",
        system.get("/api/books/" + bid).bodyAsJsonObject().getString("title"));
  }

  @Test
  void everyEventTheCommandSideEmitsAndEveryRecordedEventValidatesAgainstTheDocumentedSchema() throws Exception {
    long bid = system.createBook(book("Validated", 1, 1).put("isbn", "978-0-306-40615-7"))
        .bodyAsJsonObject().getLong("bid");
    system.command(HttpMethod.PUT, "/api/books/" + bid, book("Validated, again", 2, 2));
    system.command(HttpMethod.DELETE, "/api/books/" + bid, null);
    List<String> payloads = new ArrayList<>();
    for (Row row : await(system.mysql().preparedQuery("SELECT payload FROM outbox WHERE bid = ? ORDER BY id")
        .execute(Tuple.of(bid)))) {
      payloads.add(row.getString(0));
    }
    assertEquals(3, payloads.size());
    assertEquals(2, new JsonObject(payloads.get(0)).getInteger("schemaVersion"));
    assertEquals("9780306406157", new JsonObject(payloads.get(0)).getJsonObject("book").getString("isbn"));
    try (var recorded = Files.walk(RECORDED)) {
      recorded.filter(file -> file.toString().endsWith(".json")).forEach(file -> payloads.add(read(file)));
    }
    assertEquals(9, payloads.size(), "three emitted, six recorded");
    for (String payload : payloads) {
      OutputUnit result = EVENT_SCHEMA.validate(new JsonObject(payload));
      assertTrue(result.getValid(), payload + " -> " + result.getErrors());
    }
    JsonObject broken = new JsonObject(payloads.get(0));
    broken.getJsonObject("book").put("isbn", "978-0-306-40615-7");
    assertFalse(EVENT_SCHEMA.validate(broken).getValid(), "the schema checks the isbn's form");
  }

  @Test
  void anIsbnIsCheckedKeptAsDigitsUniqueAndFoundByQuery() {
    HttpResponse<Buffer> created = system.command(HttpMethod.POST, "/api/books",
        book("With an ISBN", 1, 1).put("isbn", "979-10-323-0569-0"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long bid = created.bodyAsJsonObject().getLong("bid");
    assertEquals("9791032305690", created.bodyAsJsonObject().getString("isbn"));
    assertEquals("9791032305690", system.get("/api/books/" + bid, "X-Consistency-Token",
        created.getHeader("X-Consistency-Token")).bodyAsJsonObject().getString("isbn"));

    long booksBefore = system.countRows("books");
    HttpResponse<Buffer> wrongDigit = system.command(HttpMethod.POST, "/api/books",
        book("Wrong check digit", 1, 1).put("isbn", "9791032305691"));
    assertEquals(400, wrongDigit.statusCode());
    assertEquals(new JsonObject().put("field", "isbn").put("message", "has a wrong check digit"),
        wrongDigit.bodyAsJsonObject().getJsonArray("details").getJsonObject(0));
    HttpResponse<Buffer> taken = system.command(HttpMethod.POST, "/api/books",
        book("Same ISBN", 1, 1).put("isbn", "9791032305690"));
    assertEquals(409, taken.statusCode(), taken.bodyAsString());
    assertEquals("isbn", taken.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals(booksBefore, system.countRows("books"), "nothing written");

    JsonArray found = system.get("/api/books?isbn=979-10-323-0569-0").bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, found.size());
    assertEquals(bid, found.getJsonObject(0).getLong("bid"));
    assertEquals(400, system.get("/api/books?isbn=12345").statusCode());

    // Cleared on the first book, the ISBN is free for another.
    HttpResponse<Buffer> cleared = system.command(HttpMethod.PUT, "/api/books/" + bid, book("With an ISBN", 1, 1));
    assertEquals(200, cleared.statusCode(), cleared.bodyAsString());
    assertNull(cleared.bodyAsJsonObject().getValue("isbn"));
    assertEquals(201, system.command(HttpMethod.POST, "/api/books",
        book("Same ISBN, now free", 1, 1).put("isbn", "9791032305690")).statusCode());
  }

  /** A recorded event with its bid (and its book's) changed to {@code bid}. */
  private static String recordedFor(String name, long bid) {
    JsonObject event = new JsonObject(read(RECORDED.resolve(name))).put("bid", bid);
    if (event.getJsonObject("book") != null) {
      event.getJsonObject("book").put("bid", bid);
    }
    return event.encode();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
