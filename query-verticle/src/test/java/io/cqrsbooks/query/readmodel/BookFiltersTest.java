package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BookFiltersTest {

  static BookCriteria sortedBy(String field, boolean descending) {
    return new BookCriteria(50, 0, field, descending, List.of(), null, null, null, null, null);
  }

  @Test
  void sortsByTheFieldThenByIdForStablePages() {
    assertEquals(new JsonObject().put("_id", -1), BookFilters.sort(sortedBy("bid", true)));
    assertEquals(new JsonObject().put("price", -1).put("_id", -1), BookFilters.sort(sortedBy("price", true)));
    assertEquals(new JsonObject().put("title", 1).put("_id", 1), BookFilters.sort(sortedBy("title", false)));
  }

  @Test
  void aPageBeforeARowIsReadBackwards() {
    BookCriteria before = new BookCriteria(50, 0, "title", false, List.of(), null, null, null, null,
        new BookCriteria.Keyset("M", 7, true));
    assertEquals(new JsonObject().put("title", -1).put("_id", -1), BookFilters.sort(before));
    JsonArray either = BookFilters.filter(before).getJsonArray("$or");
    assertEquals(new JsonObject().put("title", new JsonObject().put("$lt", "M").putNull("$ne")), either.getJsonObject(0));
    assertEquals(new JsonObject().put("title", "M").put("_id", new JsonObject().put("$lt", 7L)), either.getJsonObject(1));
    assertEquals(new JsonObject().putNull("title"), either.getJsonObject(2),
        "books without a value sort first, so they are before every row");
  }

  @Test
  void booksWithoutAValueSortFirstAndArePagedThrough() {
    BookCriteria afterNone = new BookCriteria(50, 0, "publishedDate", false, List.of(), null, null, null, null,
        new BookCriteria.Keyset(null, 7, false));
    JsonArray either = BookFilters.filter(afterNone).getJsonArray("$or");
    assertEquals(new JsonObject().putNull("publishedDate").put("_id", new JsonObject().put("$gt", 7L)), either.getJsonObject(0));
    assertEquals(new JsonObject().put("publishedDate", new JsonObject().putNull("$ne")), either.getJsonObject(1));
  }

  @Test
  void buildsFiltersForSearchCategoryAndPriceRange() {
    assertEquals(new JsonObject(), BookFilters.filter(sortedBy("bid", true)));
    JsonObject filter = BookFilters.filter(new BookCriteria(50, 0, "bid", true, List.of("du", "herb"), "SF", 10L, 20L,
        "9780306406157", null));
    List<Object> terms = filter.getJsonArray("$and").getList();
    assertTrue(terms.contains(new JsonObject().put("category", "SF")));
    assertTrue(terms.contains(new JsonObject().put("price", new JsonObject().put("$gte", 10L).put("$lte", 20L))));
    assertTrue(terms.contains(new JsonObject().put("words", new JsonObject().put("$regex", "^du"))));
    assertTrue(terms.contains(new JsonObject().put("words", new JsonObject().put("$regex", "^herb"))));
    assertEquals(new JsonObject().put("price", new JsonObject().put("$lte", 20L)),
        BookFilters.filter(new BookCriteria(50, 0, "bid", true, List.of(), null, null, 20L, null, null)));
  }

  @Test
  void searchTextIsMatchedLiterallyNotAsARegex() {
    String pattern = "^" + BookFilters.literalPattern("a.b*(c)");
    assertTrue(Pattern.compile(pattern).matcher("a.b*(c)y").find());
    assertFalse(Pattern.compile(pattern).matcher("aXbbc").find());
  }
}
