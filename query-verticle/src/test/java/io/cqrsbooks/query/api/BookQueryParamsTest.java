package io.cqrsbooks.query.api;

import io.cqrsbooks.http.ApiException;
import io.vertx.core.MultiMap;
import io.cqrsbooks.query.readmodel.BookCriteria;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BookQueryParamsTest {

  private static BookCriteria parse(String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return BookQueryParams.parse(params);
  }

  private static ApiException invalid(String... pairs) {
    return assertThrows(ApiException.class, () -> parse(pairs));
  }

  @Test
  void defaultsToNewestFirstFiftyAtATime() {
    assertEquals(new BookCriteria(50, 0, "bid", true, null, null, null, null, null), parse());
  }

  @Test
  void readsEveryCriterion() {
    assertEquals(new BookCriteria(20, 40, "price", false, "dune", "SF", 10L, 20L, "9780306406157"),
        parse("limit", "20", "offset", "40", "sort", "price", "q", " dune ", "category", "SF", "minPrice", "10", "maxPrice", "20",
            "isbn", "978-0-306-40615-7"));
    assertEquals(new BookCriteria(50, 0, "title", true, null, null, null, null, null), parse("sort", "-title", "q", "  "));
  }

  @Test
  void refusesBadParametersWithTheirNames() {
    assertEquals("limit", invalid("limit", "0").details().get(0).field());
    assertEquals("limit", invalid("limit", "501").details().get(0).field());
    assertEquals("offset", invalid("offset", "-1").details().get(0).field());
    assertEquals("isbn", invalid("isbn", "9780306406158").details().get(0).field());
    assertEquals("sort", invalid("sort", "author").details().get(0).field());
    assertEquals("minPrice", invalid("minPrice", "cheap").details().get(0).field());
    assertEquals("minPrice", invalid("minPrice", "5", "maxPrice", "4").details().get(0).field());
    assertEquals("color", invalid("color", "red").details().get(0).field());
    assertEquals("limit", invalid("limit", "5", "limit", "6").details().get(0).field());
  }
}
