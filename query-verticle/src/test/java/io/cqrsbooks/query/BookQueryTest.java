package io.cqrsbooks.query;

import io.cqrsbooks.http.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class BookQueryTest {

  private static BookQuery parse(String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return BookQuery.parse(params);
  }

  private static ApiException invalid(String... pairs) {
    return assertThrows(ApiException.class, () -> parse(pairs));
  }

  @Test
  void defaultsToNewestFirstFiftyAtATime() {
    BookQuery query = parse();
    assertEquals(50, query.limit());
    assertEquals(0, query.offset());
    assertEquals(new JsonObject().put("_id", -1), query.sort());
    assertEquals(new JsonObject(), query.filter());
  }

  @Test
  void sortsByTheFieldThenByIdForStablePages() {
    assertEquals(new JsonObject().put("price", -1).put("_id", -1), parse("sort", "-price").sort());
    assertEquals(new JsonObject().put("title", 1).put("_id", 1), parse("sort", "title").sort());
  }

  @Test
  void buildsFiltersForSearchCategoryAndPriceRange() {
    JsonObject filter = parse("q", "dune", "category", "SF", "minPrice", "10", "maxPrice", "20").filter();
    assertEquals("SF", filter.getString("category"));
    assertEquals(new JsonObject().put("$gte", 10L).put("$lte", 20L), filter.getJsonObject("price"));
    assertEquals(2, filter.getJsonArray("$or").size());
  }

  @Test
  void searchTextIsMatchedLiterallyNotAsARegex() {
    String pattern = BookQuery.literalPattern("a.b*(c)");
    assertTrue(Pattern.compile(pattern).matcher("xa.b*(c)y").find());
    assertFalse(Pattern.compile(pattern).matcher("aXbbc").find());
  }

  @Test
  void refusesBadParametersWithTheirNames() {
    assertEquals("limit", invalid("limit", "0").details().get(0).field());
    assertEquals("limit", invalid("limit", "501").details().get(0).field());
    assertEquals("offset", invalid("offset", "-1").details().get(0).field());
    assertEquals("sort", invalid("sort", "author").details().get(0).field());
    assertEquals("minPrice", invalid("minPrice", "cheap").details().get(0).field());
    assertEquals("minPrice", invalid("minPrice", "5", "maxPrice", "4").details().get(0).field());
    assertEquals("color", invalid("color", "red").details().get(0).field());
    assertEquals("limit", invalid("limit", "5", "limit", "6").details().get(0).field());
  }
}
