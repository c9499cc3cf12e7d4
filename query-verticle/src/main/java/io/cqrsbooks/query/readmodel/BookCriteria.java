package io.cqrsbooks.query.readmodel;

import java.util.List;

import static io.cqrsbooks.contract.BookFields.BID;
import static io.cqrsbooks.contract.BookFields.PAGES;
import static io.cqrsbooks.contract.BookFields.PRICE;
import static io.cqrsbooks.contract.BookFields.PUBLISHED_DATE;
import static io.cqrsbooks.contract.BookFields.TITLE;

/**
 * Which books a list query asks for, already checked: a page ({@code limit}, and either {@code offset} or a
 * {@link Keyset} next to a row already seen), an order, and optional filters (search words, category, price
 * range, ISBN as 13 digits). {@link BookFilters} turns it into MongoDB terms.
 */
public record BookCriteria(int limit, int offset, String sortField, boolean descending, List<String> words,
                           String category, Long minPrice, Long maxPrice, String isbn, Keyset keyset) {

  /** The fields a list can be sorted by; each has an index (see {@link BookFilters#indexes()}). */
  public static final List<String> SORTABLE = List.of(BID, TITLE, PRICE, PAGES, PUBLISHED_DATE);

  public BookCriteria {
    words = words == null ? List.of() : List.copyOf(words);
  }

  /**
   * A row of a list, by its sort value (null when the book has none) and bid: the page goes on after it,
   * or ends before it ({@code before}).
   */
  public record Keyset(Object value, long bid, boolean before) {
  }

  /** The same books, from the list's start: what a total counts. */
  public BookCriteria unpaged() {
    return new BookCriteria(limit, 0, sortField, descending, words, category, minPrice, maxPrice, isbn, null);
  }

  /** Whether only the category narrows the list, so the projection's counts answer its total. */
  public boolean countedByProjection() {
    return words.isEmpty() && minPrice == null && maxPrice == null && isbn == null;
  }
}
