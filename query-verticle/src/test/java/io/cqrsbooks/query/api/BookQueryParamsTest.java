package io.cqrsbooks.query.api;

import io.cqrsbooks.http.ApiException;
import io.vertx.core.MultiMap;
import io.cqrsbooks.query.readmodel.BookCriteria;
import org.junit.jupiter.api.Test;

import java.util.List;

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
    assertEquals(new BookCriteria(50, 0, "bid", true, List.of(), null, null, null, null, null), parse());
  }

  @Test
  void readsEveryCriterion() {
    assertEquals(new BookCriteria(20, 40, "price", false, List.of("dune", "herb"), "SF", 10L, 20L, "9780306406157", null),
        parse("limit", "20", "offset", "40", "sort", "price", "q", " Dune,  HERB ", "category", "SF", "minPrice", "10",
            "maxPrice", "20", "isbn", "978-0-306-40615-7"));
    assertEquals(new BookCriteria(50, 0, "title", true, List.of(), null, null, null, null, null), parse("sort", "-title", "q", "  "));
  }

  @Test
  void cursorsComeBackAsTheKeysetTheyWereMadeFor() {
    String after = PageCursor.encode(new BookCriteria.Keyset("Dune", 12, false), "-title");
    assertEquals(new BookCriteria.Keyset("Dune", 12, false), parse("sort", "-title", "after", after).keyset());
    String before = PageCursor.encode(new BookCriteria.Keyset(4500L, 3, true), "price");
    assertEquals(new BookCriteria.Keyset(4500L, 3, true), parse("sort", "price", "before", before).keyset());
    String none = PageCursor.encode(new BookCriteria.Keyset(null, 9, false), "publishedDate");
    assertEquals(new BookCriteria.Keyset(null, 9, false), parse("sort", "publishedDate", "after", none).keyset());
  }

  @Test
  void refusesCursorsThatDoNotFitTheList() {
    String titleCursor = PageCursor.encode(new BookCriteria.Keyset("Dune", 12, false), "-title");
    assertEquals("was made for the sort -title, not -bid", invalid("after", titleCursor).details().get(0).message());
    assertEquals("after", invalid("after", "not-a-cursor").details().get(0).field());
    assertEquals("before", invalid("after", titleCursor, "before", titleCursor, "sort", "-title").details().get(0).field());
    assertEquals("offset", invalid("after", titleCursor, "offset", "20", "sort", "-title").details().get(0).field());
    assertEquals("offset", invalid("offset", "10001").details().get(0).field(), "offsets are for small jumps");
    assertEquals("q", invalid("q", "?!").details().get(0).field(), "a search without a word");
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
