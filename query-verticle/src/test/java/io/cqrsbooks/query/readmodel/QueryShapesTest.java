package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query shape the list API can issue (each combination of filters, each sort both ways, first page
 * and cursor pages both ways) has an index the read model declares that serves it as MongoDB's planner
 * would use one: the equality fields first, then the sort key with _id in the sort's order (or all
 * reversed), so there is neither a collection scan nor a sort in memory; range filters (price, search words,
 * the cursor) are read from the index or from the rows it leads to. The shapes are read from the filters
 * and sorts {@link BookFilters} actually builds, so a new filter without an index fails here.
 *
 * <p>The one exception is the ISBN: an equality that matches at most a handful of books (MySQL keeps ISBNs
 * unique), served by its own index and sorted in memory.
 */
class QueryShapesTest {

  private static final List<JsonObject> INDEXES = declaredIndexes();

  @Test
  void everyQueryShapeHasAnIndexThatFiltersAndSortsIt() {
    List<String> unserved = new ArrayList<>();
    Set<JsonObject> used = new HashSet<>();
    int shapes = 0;
    for (BookCriteria criteria : everyShape()) {
      shapes++;
      Shape shape = Shape.of(BookFilters.filter(criteria), BookFilters.sort(criteria));
      JsonObject serving = INDEXES.stream().filter(shape::servedBy).findFirst().orElse(null);
      if (serving == null) {
        unserved.add(shape + " (from " + criteria + ")");
      } else {
        used.add(serving);
      }
    }
    assertTrue(unserved.isEmpty(), unserved.size() + " of " + shapes + " shapes have no index:\n" + String.join("\n", unserved));
    assertTrue(shapes > 500, "shapes enumerated: " + shapes);
    List<JsonObject> unused = INDEXES.stream()
        .filter(index -> !used.contains(index) && !index.equals(new JsonObject().put("_id", 1)))
        .filter(index -> !index.containsKey(BookCounts.PARTITION))
        .filter(index -> !index.containsKey(BookFilters.WORDS))
        .toList();
    assertEquals(List.of(), unused, "every declared index serves a list shape (the counts' and the words' have other uses)");
  }

  @Test
  void aShapeWithoutAMatchingIndexIsRecognised() {
    Shape categoryByTitle = Shape.of(new JsonObject().put("category", "SF"), new JsonObject().put("title", 1).put("_id", 1));
    assertTrue(categoryByTitle.servedBy(new JsonObject().put("category", 1).put("title", 1).put("_id", 1)));
    assertTrue(categoryByTitle.servedBy(new JsonObject().put("category", -1).put("title", -1).put("_id", -1)));
    assertTrue(!categoryByTitle.servedBy(new JsonObject().put("title", 1).put("_id", 1)), "would filter category by fetching");
    assertTrue(!categoryByTitle.servedBy(new JsonObject().put("category", 1).put("_id", 1)), "would sort in memory");
    assertTrue(!categoryByTitle.servedBy(new JsonObject().put("category", 1).put("title", 1).put("_id", -1)), "mixed order");
  }

  @Test
  void searchWordsHaveTheirOwnIndexForSelectiveSearches() {
    assertTrue(INDEXES.contains(new JsonObject().put(BookFilters.WORDS, 1)));
    assertTrue(INDEXES.contains(new JsonObject().put(BookCounts.PARTITION, 1).put("category", 1)),
        "a partition's recount reads the index alone");
  }

  private static List<JsonObject> declaredIndexes() {
    List<JsonObject> keys = new ArrayList<>();
    keys.add(new JsonObject().put("_id", 1));
    BookFilters.indexes().stream().map(IndexModel::getKey).forEach(keys::add);
    return keys;
  }

  /** Every subset of the filters, with every sort in both directions, on a first page and on cursor pages. */
  private static List<BookCriteria> everyShape() {
    List<BookCriteria> all = new ArrayList<>();
    for (int filters = 0; filters < 1 << 5; filters++) {
      List<String> words = (filters & 1) != 0 ? List.of("dune", "her") : List.of();
      String category = (filters & 2) != 0 ? "SF" : null;
      Long minPrice = (filters & 4) != 0 ? 1000L : null;
      Long maxPrice = (filters & 8) != 0 ? 9000L : null;
      String isbn = (filters & 16) != 0 ? "9780306406157" : null;
      for (String field : BookCriteria.SORTABLE) {
        for (boolean descending : new boolean[] {false, true}) {
          for (BookCriteria.Keyset keyset : new BookCriteria.Keyset[] {null,
              new BookCriteria.Keyset(field.equals("bid") ? null : sampleValue(field), 42, false),
              new BookCriteria.Keyset(field.equals("bid") ? null : sampleValue(field), 42, true),
              new BookCriteria.Keyset(null, 42, false)}) {
            all.add(new BookCriteria(20, 0, field, descending, words, category, minPrice, maxPrice, isbn, keyset));
          }
        }
      }
    }
    return all;
  }

  private static Object sampleValue(String field) {
    return Map.<String, Object>of("title", "M", "price", 5000L, "pages", 300L, "publishedDate", "2001-01-01").get(field);
  }

  /** A query's equality fields, range fields, and sort, read from the filter and sort MongoDB receives. */
  private record Shape(Set<String> equalities, Set<String> ranges, JsonObject sort) {

    static Shape of(JsonObject filter, JsonObject sort) {
      Set<String> equalities = new LinkedHashSet<>();
      Set<String> ranges = new LinkedHashSet<>();
      List<JsonObject> terms = new ArrayList<>();
      if (filter.containsKey("$and")) {
        filter.getJsonArray("$and").forEach(term -> terms.add((JsonObject) term));
      } else if (!filter.isEmpty()) {
        terms.add(filter);
      }
      for (JsonObject term : terms) {
        for (String field : term.fieldNames()) {
          if (field.equals("$or")) {
            // A cursor: every branch bounds the sort key (and _id among equal keys).
            for (Object branch : (JsonArray) term.getValue(field)) {
              ranges.addAll(((JsonObject) branch).fieldNames());
            }
          } else if (term.getValue(field) instanceof JsonObject operators
              && operators.fieldNames().stream().allMatch(name -> name.startsWith("$"))) {
            ranges.add(field);
          } else {
            equalities.add(field);
          }
        }
      }
      return new Shape(equalities, ranges, sort);
    }

    /**
     * The index's leading fields are exactly the equalities, the next ones are the sort's, in the sort's
     * directions or all reversed. An equality on the ISBN is a point lookup: an index led by it serves.
     */
    boolean servedBy(JsonObject index) {
      List<String> fields = new ArrayList<>(index.fieldNames());
      if (equalities.contains("isbn")) {
        return fields.get(0).equals("isbn");
      }
      int n = equalities.size();
      if (fields.size() < n + sort.size() || !new HashSet<>(fields.subList(0, n)).equals(equalities)) {
        return false;
      }
      List<String> sortFields = new ArrayList<>(sort.fieldNames());
      Boolean reversed = null;
      for (int i = 0; i < sortFields.size(); i++) {
        String field = sortFields.get(i);
        if (!fields.get(n + i).equals(field)) {
          return false;
        }
        boolean sameDirection = index.getInteger(field).equals(sort.getInteger(field));
        if (reversed == null) {
          reversed = !sameDirection;
        } else if (reversed == sameDirection) {
          return false;
        }
      }
      return true;
    }
  }
}
