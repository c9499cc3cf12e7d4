package io.cqrsbooks.query.readmodel;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A page of books in display order, with the keysets of the pages beside it: {@code next} when rows follow
 * the last one, {@code previous} when rows precede the first one; null when there are none.
 */
public record BookPage(List<JsonObject> items, BookCriteria.Keyset previous, BookCriteria.Keyset next) {

  /**
   * @param rows the rows read in {@link BookFilters#sort} order, up to one more than the criteria's limit,
   *     each with its {@code _id}, which is removed here
   */
  static BookPage of(BookCriteria criteria, List<JsonObject> rows, String sortKey) {
    boolean more = rows.size() > criteria.limit();
    List<JsonObject> items = new ArrayList<>(more ? rows.subList(0, criteria.limit()) : rows);
    BookCriteria.Keyset from = criteria.keyset();
    boolean backwards = from != null && from.before();
    if (backwards) {
      Collections.reverse(items);
    }
    if (items.isEmpty()) {
      return new BookPage(items, null, null);
    }
    JsonObject first = items.get(0);
    JsonObject last = items.get(items.size() - 1);
    boolean rowsBefore = backwards ? more : from != null || criteria.offset() > 0;
    boolean rowsAfter = backwards || more;
    BookCriteria.Keyset previous = rowsBefore ? keyset(first, sortKey, true) : null;
    BookCriteria.Keyset next = rowsAfter ? keyset(last, sortKey, false) : null;
    items.forEach(item -> item.remove(BookFilters.ID));
    return new BookPage(items, previous, next);
  }

  private static BookCriteria.Keyset keyset(JsonObject row, String sortKey, boolean before) {
    long bid = row.getLong(BookFilters.ID);
    Object value = sortKey.equals(BookFilters.ID) ? null : row.getValue(sortKey);
    return new BookCriteria.Keyset(value, bid, before);
  }
}
