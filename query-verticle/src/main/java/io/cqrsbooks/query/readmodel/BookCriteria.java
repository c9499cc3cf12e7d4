package io.cqrsbooks.query.readmodel;

import java.util.List;

import static io.cqrsbooks.contract.BookFields.BID;
import static io.cqrsbooks.contract.BookFields.PAGES;
import static io.cqrsbooks.contract.BookFields.PRICE;
import static io.cqrsbooks.contract.BookFields.PUBLISHED_DATE;
import static io.cqrsbooks.contract.BookFields.TITLE;

/**
 * Which books a list query asks for, already checked: a page ({@code limit}, {@code offset}), an order, and
 * optional filters (search text, category, price range, ISBN as 13 digits). {@link BookFilters} turns it into MongoDB terms.
 */
public record BookCriteria(int limit, int offset, String sortField, boolean descending, String q, String category,
                           Long minPrice, Long maxPrice, String isbn) {

  /** The fields a list can be sorted by; each has an index (see {@link BookFilters#indexes()}). */
  public static final List<String> SORTABLE = List.of(BID, TITLE, PRICE, PAGES, PUBLISHED_DATE);
}
