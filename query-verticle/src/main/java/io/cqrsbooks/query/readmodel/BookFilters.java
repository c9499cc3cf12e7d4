package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;

import java.util.ArrayList;
import java.util.List;

import static io.cqrsbooks.contract.BookFields.BID;
import static io.cqrsbooks.contract.BookFields.CATEGORY;
import static io.cqrsbooks.contract.BookFields.ISBN;
import static io.cqrsbooks.contract.BookFields.PRICE;

/**
 * List criteria in MongoDB's terms: the filter, the sort, and the indexes that serve them. All of it here.
 * Each index follows the order a query planner wants: equality fields, then the sort key, then ranges.
 */
final class BookFilters {

  static final String ID = "_id";
  /** The normalised words of title and author ({@link SearchWords}), stored with each book. */
  static final String WORDS = "words";

  private BookFilters() {
  }

  static JsonObject filter(BookCriteria criteria) {
    List<JsonObject> terms = new ArrayList<>();
    if (criteria.category() != null) {
      terms.add(new JsonObject().put(CATEGORY, criteria.category()));
    }
    if (criteria.isbn() != null) {
      terms.add(new JsonObject().put(ISBN, criteria.isbn()));
    }
    if (criteria.minPrice() != null || criteria.maxPrice() != null) {
      JsonObject range = new JsonObject();
      if (criteria.minPrice() != null) {
        range.put("$gte", criteria.minPrice());
      }
      if (criteria.maxPrice() != null) {
        range.put("$lte", criteria.maxPrice());
      }
      terms.add(new JsonObject().put(PRICE, range));
    }
    for (String word : criteria.words()) {
      terms.add(new JsonObject().put(WORDS, new JsonObject().put("$regex", "^" + literalPattern(word))));
    }
    if (criteria.keyset() != null) {
      terms.add(beyond(criteria));
    }
    if (terms.size() == 1) {
      return terms.get(0);
    }
    return terms.isEmpty() ? new JsonObject() : new JsonObject().put("$and", new JsonArray(new ArrayList<>(terms)));
  }

  /** The sort key in the read model: the bid is the document's {@code _id}. */
  static String sortKey(BookCriteria criteria) {
    return criteria.sortField().equals(BID) ? ID : criteria.sortField();
  }

  /**
   * The chosen field, then _id in the same direction, so paging is stable when values tie. A page that ends
   * before a row is read backwards from it (and put back in order by the caller).
   */
  static JsonObject sort(BookCriteria criteria) {
    boolean backwards = criteria.keyset() != null && criteria.keyset().before();
    int direction = criteria.descending() != backwards ? -1 : 1;
    String field = sortKey(criteria);
    JsonObject sort = new JsonObject().put(field, direction);
    if (!field.equals(ID)) {
      sort.put(ID, direction);
    }
    return sort;
  }

  /**
   * Rows after the keyset in the order read ({@link #sort}). A book without a value for the field (only a
   * publishedDate may be missing) sorts before every value, as MongoDB orders null first; the
   * conditions spell that out instead of relying on how a server compares null with a value.
   */
  static JsonObject beyond(BookCriteria criteria) {
    BookCriteria.Keyset keyset = criteria.keyset();
    boolean ascending = criteria.descending() == keyset.before();
    String field = sortKey(criteria);
    String past = ascending ? "$gt" : "$lt";
    JsonObject afterId = new JsonObject().put(ID, new JsonObject().put(past, keyset.bid()));
    if (field.equals(ID)) {
      return afterId;
    }
    JsonObject noValue = new JsonObject().putNull(field);
    JsonObject someValue = new JsonObject().put(field, new JsonObject().put("$ne", null));
    JsonArray either = new JsonArray();
    if (keyset.value() == null) {
      either.add(noValue.copy().put(ID, afterId.getJsonObject(ID)));
      if (ascending) {
        either.add(someValue);
      }
    } else {
      either.add(new JsonObject().put(field, new JsonObject().put(past, keyset.value()).putNull("$ne")));
      either.add(new JsonObject().put(field, keyset.value()).put(ID, afterId.getJsonObject(ID)));
      if (!ascending) {
        either.add(noValue);
      }
    }
    return new JsonObject().put("$or", either);
  }

  /**
   * Per sort key, one index alone and one behind the category (the only equality filter that narrows to
   * many books); the ISBN's index (a point lookup: a handful of books at most, sorted in memory), and the
   * multikey index on the search words. Price ranges are read from the price index when sorted by price,
   * else filtered from the sort index's rows.
   */
  static List<IndexModel> indexes() {
    List<IndexModel> indexes = new ArrayList<>();
    indexes.add(index("books_by_category", new JsonObject().put(CATEGORY, 1).put(ID, 1)));
    for (String field : BookCriteria.SORTABLE) {
      if (!field.equals(BID)) {
        indexes.add(index("books_by_" + field, new JsonObject().put(field, 1).put(ID, 1)));
        indexes.add(index("books_by_category_" + field, new JsonObject().put(CATEGORY, 1).put(field, 1).put(ID, 1)));
      }
    }
    // Not unique here: MySQL keeps ISBNs unique; across partitions the read model may briefly hold an ISBN
    // twice (one book's change applied before another's that freed it).
    indexes.add(index("books_by_isbn", new JsonObject().put(ISBN, 1)));
    indexes.add(index("books_by_words", new JsonObject().put(WORDS, 1)));
    indexes.add(index("books_by_partition", new JsonObject().put(BookCounts.PARTITION, 1).put(CATEGORY, 1)));
    return indexes;
  }

  private static IndexModel index(String name, JsonObject keys) {
    return new IndexModel(keys, new IndexOptions().name(name));
  }

  /** Text searched for as typed: every regex metacharacter is escaped. */
  static String literalPattern(String text) {
    StringBuilder pattern = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return pattern.toString();
  }
}
