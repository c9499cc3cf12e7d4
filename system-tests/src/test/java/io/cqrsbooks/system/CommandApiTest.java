package io.cqrsbooks.system;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** The command API against real MariaDB: what it accepts, and every bad input answered as specified with nothing written. */
class CommandApiTest extends SystemTest {

  private static long existingBid;

  @BeforeAll
  static void addExistingBook() {
    existingBid = system.createBook(book("Existing", 100, 500)).bodyAsJsonObject().getLong("bid");
  }

  @Test
  void createAnswers201WithTheStoredBookItsLocationEtagAndToken() {
    HttpResponse<Buffer> response = system.createBook(book("  Dune  ", 412, 1999));
    JsonObject created = response.bodyAsJsonObject();
    long bid = created.getLong("bid");
    assertEquals("Dune", created.getString("title"), "title is trimmed");
    assertEquals(1, created.getLong("version"));
    assertEquals("2020-05-17", created.getString("publishedDate"));
    assertNotNull(created.getString("createdAt"));
    assertEquals("/api/books/" + bid, response.getHeader("Location"));
    assertEquals("\"1\"", response.getHeader("ETag"));
    assertEquals(bid + ".1", response.getHeader("X-Consistency-Token"));
  }

  @Test
  void updateHonoursIfMatchAndBumpsTheVersion() {
    long bid = system.createBook(book("Draft", 10, 10)).bodyAsJsonObject().getLong("bid");
    HttpResponse<Buffer> updated = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Final", 20, 20), "If-Match", "\"1\"");
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(2, updated.bodyAsJsonObject().getLong("version"));
    assertEquals("\"2\"", updated.getHeader("ETag"));

    HttpResponse<Buffer> bare = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Bare", 20, 20), "If-Match", "2");
    assertEquals(200, bare.statusCode(), bare.bodyAsString());

    long outboxBefore = system.countRows("outbox");
    HttpResponse<Buffer> stale = system.command(HttpMethod.PUT, "/api/books/" + bid, book("Stale", 1, 1), "If-Match", "\"1\"");
    assertEquals(412, stale.statusCode());
    assertEquals("If-Match", stale.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals(outboxBefore, system.countRows("outbox"), "a refused update writes no event");
    assertEquals("Bare", system.mysqlBooks().stream().filter(b -> b.bid() == bid).findFirst().orElseThrow().title());

    HttpResponse<Buffer> staleDelete = system.command(HttpMethod.DELETE, "/api/books/" + bid, null, "If-Match", "1");
    assertEquals(412, staleDelete.statusCode());
    HttpResponse<Buffer> deleted = system.command(HttpMethod.DELETE, "/api/books/" + bid, null, "If-Match", "3");
    assertEquals(204, deleted.statusCode());
    assertEquals(bid + ".4", deleted.getHeader("X-Consistency-Token"), "a deletion is the book's next version");
  }

  @Test
  void corsAnswersTheConfiguredUiOriginOnly() {
    String allowed = "http://localhost:" + system.queryPort;
    MultiMap preflight = MultiMap.caseInsensitiveMultiMap().add("Origin", allowed)
        .add("Access-Control-Request-Method", "POST").add("Access-Control-Request-Headers", "content-type");
    HttpResponse<Buffer> ok = system.send(HttpMethod.OPTIONS, system.commandPort, "/api/books", preflight, null);
    assertEquals(allowed, ok.getHeader("Access-Control-Allow-Origin"));

    preflight.set("Origin", "http://evil.example");
    HttpResponse<Buffer> refused = system.send(HttpMethod.OPTIONS, system.commandPort, "/api/books", preflight, null);
    assertNull(refused.getHeader("Access-Control-Allow-Origin"));
    assertEquals(403, refused.statusCode());
    assertEquals("Origin", refused.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
  }

  static Stream<Arguments> badRequests() {
    String big = "{\"title\":\"" + "x".repeat(70_000) + "\",\"pages\":1,\"price\":1}";
    return Stream.of(
        Arguments.of("every bad field at once", HttpMethod.POST, "/api/books", "application/json",
            "{\"title\":\"\",\"pages\":-1,\"price\":-5,\"publishedDate\":\"someday\",\"bid\":3}", 400,
            "title,pages,price,publishedDate,bid"),
        Arguments.of("missing title", HttpMethod.POST, "/api/books", "application/json", "{\"pages\":1,\"price\":1}", 400, "title"),
        Arguments.of("blank title", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"  \",\"pages\":1,\"price\":1}", 400, "title"),
        Arguments.of("price too high", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":100000001}", 400, "price"),
        Arguments.of("pages as text", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":\"9\",\"price\":1}", 400, "pages"),
        Arguments.of("fractional price", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1.5}", 400, "price"),
        Arguments.of("impossible date", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1,\"publishedDate\":\"2021-02-29\"}", 400, "publishedDate"),
        Arguments.of("unknown field", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1,\"subtitle\":\"x\"}", 400, "subtitle"),
        Arguments.of("server-kept field", HttpMethod.POST, "/api/books", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1,\"version\":9}", 400, "version"),
        Arguments.of("malformed JSON", HttpMethod.POST, "/api/books", "application/json", "{\"title\":", 400, "body"),
        Arguments.of("JSON array", HttpMethod.POST, "/api/books", "application/json", "[1,2]", 400, "body"),
        Arguments.of("empty body", HttpMethod.POST, "/api/books", "application/json", "", 400, "body"),
        Arguments.of("not JSON content type", HttpMethod.POST, "/api/books", "text/plain", "title=t", 415, "Content-Type"),
        Arguments.of("no content type", HttpMethod.POST, "/api/books", null, "{}", 415, "Content-Type"),
        Arguments.of("body over 64 KiB", HttpMethod.POST, "/api/books", "application/json", big, 413, "body"),
        Arguments.of("bid not a number", HttpMethod.PUT, "/api/books/abc", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1}", 400, "bid"),
        Arguments.of("bid not positive", HttpMethod.DELETE, "/api/books/0", null, null, 400, "bid"),
        Arguments.of("update of a missing book", HttpMethod.PUT, "/api/books/987654", "application/json", "{\"title\":\"t\",\"pages\":1,\"price\":1}", 404, null),
        Arguments.of("delete of a missing book", HttpMethod.DELETE, "/api/books/987654", null, null, 404, null),
        Arguments.of("bad If-Match", HttpMethod.DELETE, "/api/books/EXISTING", null, null, 400, "If-Match"),
        Arguments.of("unknown path", HttpMethod.GET, "/api/nothing", null, null, 404, null),
        Arguments.of("wrong method", HttpMethod.PATCH, "/api/books/1", "application/json", "{}", 405, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIsAnsweredInJsonAndWritesNothing(String name, HttpMethod method, String path, String contentType,
                                                String body, int status, String fields) {
    long books = system.countRows("books");
    long outbox = system.countRows("outbox");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + system.token);
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    if (name.equals("bad If-Match")) {
      headers.add("If-Match", "yesterday");
    }
    HttpResponse<Buffer> response = system.send(method, system.commandPort, path.replace("EXISTING", String.valueOf(existingBid)),
        headers, body == null ? null : Buffer.buffer(body));

    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    JsonObject error = response.bodyAsJsonObject();
    assertFalse(error.getString("error").isBlank());
    // Every detail, not only the first: exactly the fields that are wrong, each with a reason.
    List<String> named = new ArrayList<>();
    for (Object detail : error.getJsonArray("details")) {
      JsonObject fieldError = (JsonObject) detail;
      named.add(fieldError.getString("field"));
      assertFalse(fieldError.getString("message", "").isBlank(), error.encode());
    }
    List<String> expected = fields == null ? List.of() : List.of(fields.split(","));
    assertEquals(expected.stream().sorted().toList(), named.stream().sorted().toList(), error.encode());
    assertFalse(response.bodyAsString().contains("Exception"), "no internals leak: " + response.bodyAsString());
    assertEquals(books, system.countRows("books"), "no book written");
    assertEquals(outbox, system.countRows("outbox"), "no event written");
  }
}
