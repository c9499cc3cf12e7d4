package io.cqrsbooks.system;

import io.cqrsbooks.contract.Book;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Property-based fuzzing of the command API's JSON (jqwik): random and mutated bodies, sent with a valid
 * token, never get a 5xx or a stack trace, never write anything unless accepted, and whatever is accepted
 * reaches the read model intact. jqwik prints the seed of a failing run, so it can be replayed.
 */
class CommandFuzzTest {

  private static final Set<String> FIELDS = Set.of("title", "author", "category", "pages", "price", "publishedDate",
      "description", "bid", "version", "createdAt", "unknown", "");
  private static TestSystem system;
  private static long existingBid;

  @BeforeContainer
  static void startSystem() throws Exception {
    system = TestSystem.start();
    existingBid = system.createBook(book("Fuzz target", 10, 10)).bodyAsJsonObject().getLong("bid");
  }

  @AfterContainer
  static void stopSystem() {
    try {
      // Whatever was accepted is readable on the query side, field by field, and lists still work.
      system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
      HttpResponse<Buffer> list = system.get("/api/books?limit=500");
      assertEquals(200, list.statusCode(), list.bodyAsString());
    } finally {
      system.close();
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
  void anyCreateBodyIsAnsweredCleanly(@ForAll("bodies") String body) {
    sendAndCheck(HttpMethod.POST, "/api/books", body, 201);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
  void anyReplaceBodyIsAnsweredCleanly(@ForAll("bodies") String body) {
    sendAndCheck(HttpMethod.PUT, "/api/books/" + existingBid, body, 200);
  }

  private static void sendAndCheck(HttpMethod method, String path, String body, int success) {
    List<Book> before = system.mysqlBooks();
    long eventsBefore = system.countRows("outbox");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Authorization", "Bearer " + system.token);
    HttpResponse<Buffer> response = system.send(method, system.commandPort, path, headers, Buffer.buffer(body));

    int status = response.statusCode();
    Statistics.collect(status);
    assertTrue(status == success || status == 400 || status == 413, () -> status + " for " + body + ": "
        + response.bodyAsString());
    String text = response.bodyAsString();
    assertFalse(text.contains("Exception") || text.contains("\tat "), () -> "internals leaked: " + text);
    JsonObject answer = response.bodyAsJsonObject();
    if (status == success) {
      assertEquals(eventsBefore + 1, system.countRows("outbox"), "one event per accepted command");
      assertNotNull(answer.getLong("bid"));
    } else {
      assertFalse(answer.getString("error").isBlank());
      assertFalse(answer.getJsonArray("details").isEmpty(), () -> "an error names the field: " + answer);
      assertEquals(before, system.mysqlBooks(), "a refused command wrote nothing");
      assertEquals(eventsBefore, system.countRows("outbox"));
    }
  }

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, mutatedBooks().map(JsonObject::encode)),
        net.jqwik.api.Tuple.of(2, mutatedBooks().map(JsonObject::encode).flatMap(CommandFuzzTest::corrupted)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
        net.jqwik.api.Tuple.of(1, jsonValues().map(value -> new JsonArray().add(value).encode())));
  }

  /** A valid book with up to three fields replaced by hostile values, removed, or added. */
  private Arbitrary<JsonObject> mutatedBooks() {
    Arbitrary<JsonObject> valid = Arbitraries.integers().between(1, 1000)
        .map(n -> book("Fuzz " + n, n, n * 10L));
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    Arbitrary<Object> value = Arbitraries.oneOf(jsonValues(), Arbitraries.just(REMOVE));
    Arbitrary<List<Object[]>> mutations = Combinators.combine(field, value).as((f, v) -> new Object[] {f, v})
        .list().ofMinSize(0).ofMaxSize(3);
    return Combinators.combine(valid, mutations).as((book, changes) -> {
      for (Object[] change : changes) {
        if (change[1] == REMOVE) {
          book.remove((String) change[0]);
        } else {
          book.put((String) change[0], change[1]);
        }
      }
      return book;
    });
  }

  private static final Object REMOVE = new Object();

  private Arbitrary<Object> jsonValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300).map(s -> (Object) s),
        Arbitraries.of("", " ", "\u0000", "'; DROP TABLE books; --", "<script>alert(1)</script>", "{\"$gt\": \"\"}",
            "2020-02-30", "2020-13-01", "9999-12-31", "0000-01-01", "1e309", "NaN", "\uD83D\uDCDA", "x".repeat(201),
            "y".repeat(20_000)).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
        Arbitraries.just(new JsonObject().put("$gt", "")),
        Arbitraries.just(new JsonObject().put("$where", "sleep(1000)")),
        Arbitraries.just(new JsonArray().add(1).add("two")),
        Arbitraries.just((Object) null));
  }

  /** The JSON text cut short, or with one character changed. */
  private static Arbitrary<String> corrupted(String json) {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, Math.max(0, json.length() - 1)).map(at -> json.substring(0, at)),
        Combinators.combine(Arbitraries.integers().between(0, Math.max(0, json.length() - 1)),
            Arbitraries.chars().with('{', '}', '"', ',', ':', '\\', '[', '0', 'x'))
            .as((at, c) -> json.substring(0, at) + c + json.substring(Math.min(json.length(), at + 1))));
  }
}
