package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BookFiltersTest {

  private static BookCriteria sortedBy(String field, boolean descending) {
    return new BookCriteria(50, 0, field, descending, null, null, null, null, null);
  }

  @Test
  void sortsByTheFieldThenByIdForStablePages() {
    assertEquals(new JsonObject().put("_id", -1), BookFilters.sort(sortedBy("bid", true)));
    assertEquals(new JsonObject().put("price", -1).put("_id", -1), BookFilters.sort(sortedBy("price", true)));
    assertEquals(new JsonObject().put("title", 1).put("_id", 1), BookFilters.sort(sortedBy("title", false)));
  }

  @Test
  void buildsFiltersForSearchCategoryAndPriceRange() {
    assertEquals(new JsonObject(), BookFilters.filter(sortedBy("bid", true)));
    JsonObject filter = BookFilters.filter(new BookCriteria(50, 0, "bid", true, "dune", "SF", 10L, 20L, "9780306406157"));
    assertEquals("SF", filter.getString("category"));
    assertEquals(new JsonObject().put("$gte", 10L).put("$lte", 20L), filter.getJsonObject("price"));
    assertEquals(2, filter.getJsonArray("$or").size());
    assertEquals(new JsonObject().put("$lte", 20L),
        BookFilters.filter(new BookCriteria(50, 0, "bid", true, null, null, null, 20L, null)).getJsonObject("price"));
  }

  @Test
  void searchTextIsMatchedLiterallyNotAsARegex() {
    String pattern = BookFilters.literalPattern("a.b*(c)");
    assertTrue(Pattern.compile(pattern).matcher("xa.b*(c)y").find());
    assertFalse(Pattern.compile(pattern).matcher("aXbbc").find());
  }

  @Test
  void everySortHasAnIndexThatOrdersAsTheSortDoes() {
    List<JsonObject> keys = BookFilters.indexes().stream().map(IndexModel::getKey).toList();
    for (String field : BookCriteria.SORTABLE) {
      JsonObject sort = BookFilters.sort(sortedBy(field, false));
      assertTrue(sort.equals(new JsonObject().put("_id", 1)) || keys.contains(sort), field + " sorted by " + sort);
    }
    assertTrue(keys.contains(new JsonObject().put("category", 1)));
  }
}
