package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;

import java.util.ArrayList;
import java.util.List;

import static io.cqrsbooks.contract.BookFields.AUTHOR;
import static io.cqrsbooks.contract.BookFields.BID;
import static io.cqrsbooks.contract.BookFields.CATEGORY;
import static io.cqrsbooks.contract.BookFields.ISBN;
import static io.cqrsbooks.contract.BookFields.PRICE;
import static io.cqrsbooks.contract.BookFields.TITLE;

/** List criteria in MongoDB's terms: the filter, the sort, and the indexes that serve them. All of it here. */
final class BookFilters {

  static final String ID = "_id";

  private BookFilters() {
  }

  static JsonObject filter(BookCriteria criteria) {
    JsonObject filter = new JsonObject();
    if (criteria.q() != null) {
      JsonObject contains = new JsonObject().put("$regex", literalPattern(criteria.q())).put("$options", "i");
      filter.put("$or", new JsonArray()
          .add(new JsonObject().put(TITLE, contains))
          .add(new JsonObject().put(AUTHOR, contains.copy())));
    }
    if (criteria.category() != null) {
      filter.put(CATEGORY, criteria.category());
    }
    if (criteria.isbn() != null) {
      filter.put(ISBN, criteria.isbn());
    }
    if (criteria.minPrice() != null || criteria.maxPrice() != null) {
      JsonObject range = new JsonObject();
      if (criteria.minPrice() != null) {
        range.put("$gte", criteria.minPrice());
      }
      if (criteria.maxPrice() != null) {
        range.put("$lte", criteria.maxPrice());
      }
      filter.put(PRICE, range);
    }
    return filter;
  }

  /** The chosen field, then _id in the same direction, so paging is stable when values tie. */
  static JsonObject sort(BookCriteria criteria) {
    int direction = criteria.descending() ? -1 : 1;
    String field = criteria.sortField().equals(BID) ? ID : criteria.sortField();
    JsonObject sort = new JsonObject().put(field, direction);
    if (!field.equals(ID)) {
      sort.put(ID, direction);
    }
    return sort;
  }

  /** One index per sortable field (with _id, as {@link #sort} orders), and one each for the category and ISBN filters. */
  static List<IndexModel> indexes() {
    List<IndexModel> indexes = new ArrayList<>();
    for (String field : BookCriteria.SORTABLE) {
      if (!field.equals(BID)) {
        indexes.add(new IndexModel(new JsonObject().put(field, 1).put(ID, 1), new IndexOptions().name("books_by_" + field)));
      }
    }
    indexes.add(new IndexModel(new JsonObject().put(CATEGORY, 1), new IndexOptions().name("books_by_category")));
    // Not unique here: MySQL keeps ISBNs unique; across partitions the read model may briefly hold an ISBN
    // twice (one book's change applied before another's that freed it).
    indexes.add(new IndexModel(new JsonObject().put(ISBN, 1), new IndexOptions().name("books_by_isbn")));
    return indexes;
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
