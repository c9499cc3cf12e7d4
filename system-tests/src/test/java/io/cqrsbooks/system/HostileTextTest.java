package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** Text that looks like SQL, MongoDB operators, regular expressions or HTML is stored verbatim and executed nowhere. */
class HostileTextTest extends SystemTest {

  private static final String SQL = "Robert'); DROP TABLE books; --";
  private static final String OPERATOR = "{\"$gt\": \"\"}";
  private static final String REGEX = ".*";
  private static final String HTML = "<img src=x onerror=alert(1)><script>alert(2)</script>";
  /** Text MongoDB cannot hold in a field name, and the projection's counts use categories as names. */
  private static final String NUL = "nul\u0000.$%";
  private static long hostileBid;

  @BeforeAll
  static void storeHostileBooks() {
    for (int i = 0; i < 3; i++) {
      system.createBook(book("Plain book " + i, 10, 100 + i));
    }
    JsonObject hostile = book(SQL, 10, 5).put("author", OPERATOR).put("category", REGEX).put("description", HTML);
    hostileBid = system.createBook(hostile).bodyAsJsonObject().getLong("bid");
    system.createBook(book("Control characters", 10, 6).put("category", NUL));
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
  }

  @Test
  void hostileTextIsStoredVerbatimOnBothSides() {
    JsonObject stored = system.get("/api/books/" + hostileBid).bodyAsJsonObject();
    assertEquals(SQL, stored.getString("title"));
    assertEquals(OPERATOR, stored.getString("author"));
    assertEquals(REGEX, stored.getString("category"));
    assertEquals(HTML, stored.getString("description"));
    assertEquals(5, system.countRows("books"), "the books table is still there, with every book");
  }

  @Test
  void aCategoryMongoDbCannotUseAsAFieldNameIsCountedLikeAnyOther() {
    JsonObject categories = system.get("/api/categories").bodyAsJsonObject();
    assertEquals(5, categories.getLong("total"), categories.encode());
    JsonObject nul = categories.getJsonArray("categories").stream().map(JsonObject.class::cast)
        .filter(category -> NUL.equals(category.getString("name"))).findFirst().orElseThrow(() ->
            new AssertionError("no count for the category with U+0000: " + categories.encode()));
    assertEquals(1, nul.getLong("count"));
  }

  @Test
  void operatorTextInQueryParametersIsMatchedLiterallyNotExecuted() {
    // As an operator it would match every book; as text it matches only the book whose author it is.
    assertOnlyHostileBook(search("q", OPERATOR));
    assertOnlyHostileBook(search("category", REGEX));
    assertOnlyHostileBook(search("q", "DROP TABLE"));
    assertEquals(0, search("category", "{\"$ne\": null}").getLong("total"));
    HttpResponse<Buffer> noWords = system.get("/api/books?q=" + encode("^|$"));
    assertEquals(400, noWords.statusCode(), "a search is words; this has none: " + noWords.bodyAsString());
    assertEquals("q", noWords.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
  }

  @Test
  void operatorShapedParameterNamesAndValuesAreRefused() {
    HttpResponse<Buffer> bracket = system.get("/api/books?q%5B%24gt%5D=");
    assertEquals(400, bracket.statusCode(), bracket.bodyAsString());
    assertEquals("q[$gt]", bracket.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
    HttpResponse<Buffer> price = system.get("/api/books?minPrice=" + encode(OPERATOR));
    assertEquals(400, price.statusCode(), price.bodyAsString());
    HttpResponse<Buffer> sort = system.get("/api/books?sort=" + encode("{\"$natural\": 1}"));
    assertEquals(400, sort.statusCode(), sort.bodyAsString());
  }

  private static void assertOnlyHostileBook(JsonObject page) {
    assertEquals(1, page.getLong("total"), page.encode());
    assertEquals(hostileBid, page.getJsonArray("items").getJsonObject(0).getLong("bid"));
  }

  private static JsonObject search(String parameter, String value) {
    HttpResponse<Buffer> response = system.get("/api/books?" + parameter + "=" + encode(value));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
