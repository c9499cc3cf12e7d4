package io.cqrsbooks.query.api;

import io.cqrsbooks.contract.Isbn;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.FieldError;
import io.vertx.core.MultiMap;
import io.cqrsbooks.query.readmodel.BookCriteria;
import io.cqrsbooks.query.readmodel.SearchWords;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.cqrsbooks.contract.BookFields.BID;

/** The parameters of {@code GET /api/books}, checked and turned into {@link BookCriteria}; every bad one is named. */
final class BookQueryParams {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  /** Offsets are for small jumps: the server walks every skipped row. Pages further on use cursors. */
  static final int MAX_OFFSET = 10_000;
  private static final Set<String> PARAMETERS = Set.of("limit", "offset", "after", "before", "sort", "q", "category",
      "minPrice", "maxPrice", "isbn");

  private BookQueryParams() {
  }

  static BookCriteria parse(MultiMap params) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : params.names()) {
      if (!PARAMETERS.contains(name)) {
        errors.add(new FieldError(name, "unknown parameter"));
      } else if (params.getAll(name).size() > 1) {
        errors.add(new FieldError(name, "must be given once"));
      }
    }
    int limit = (int) number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
    int offset = (int) number(params, "offset", 0, 0, MAX_OFFSET, errors);
    String sort = params.get("sort") == null ? "-" + BID : params.get("sort");
    boolean descending = sort.startsWith("-");
    String sortField = descending ? sort.substring(1) : sort;
    if (!BookCriteria.SORTABLE.contains(sortField)) {
      errors.add(new FieldError("sort", "must be one of " + String.join(", ", BookCriteria.SORTABLE) + ", optionally prefixed by -"));
    }
    String q = text(params, "q", 200, errors);
    List<String> words = q == null ? List.of() : SearchWords.terms(q);
    if (q != null && words.isEmpty()) {
      errors.add(new FieldError("q", "must contain a letter or a digit"));
    }
    String category = text(params, "category", 50, errors);
    Long minPrice = params.get("minPrice") == null ? null : number(params, "minPrice", 0, 0, Long.MAX_VALUE, errors);
    Long maxPrice = params.get("maxPrice") == null ? null : number(params, "maxPrice", 0, 0, Long.MAX_VALUE, errors);
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      errors.add(new FieldError("minPrice", "must not be greater than maxPrice"));
    }
    String isbn = null;
    String isbnText = text(params, "isbn", 20, errors);
    if (isbnText != null) {
      Isbn.Result result = Isbn.normalize(isbnText);
      if (result.problem() != null) {
        errors.add(new FieldError("isbn", result.problem()));
      }
      isbn = result.digits();
    }
    BookCriteria.Keyset keyset = keyset(params, sort, offset, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    return new BookCriteria(limit, offset, sortField, descending, words, category, minPrice, maxPrice, isbn, keyset);
  }

  /** The row a page starts after or ends before, from a cursor of an earlier page; null for neither. */
  private static BookCriteria.Keyset keyset(MultiMap params, String sort, int offset, List<FieldError> errors) {
    String after = params.get("after");
    String before = params.get("before");
    if (after == null && before == null) {
      return null;
    }
    String name = after != null ? "after" : "before";
    if (after != null && before != null) {
      errors.add(new FieldError("before", "cannot be given with after"));
    } else if (offset != 0) {
      errors.add(new FieldError("offset", "cannot be given with " + name));
    }
    try {
      return PageCursor.decode(after != null ? after : before, sort, after == null);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(name, e.getMessage()));
      return null;
    }
  }

  /** An integer parameter in [min, max], the fallback when absent; a bad one is added to {@code errors}. */
  static long number(MultiMap params, String name, long fallback, long min, long max, List<FieldError> errors) {
    String text = params.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    errors.add(new FieldError(name, max == Long.MAX_VALUE
        ? "must be an integer of at least " + min
        : "must be an integer between " + min + " and " + max));
    return fallback;
  }

  private static String text(MultiMap params, String name, int max, List<FieldError> errors) {
    String text = params.get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    if (text.length() > max) {
      errors.add(new FieldError(name, "must be at most " + max + " characters"));
      return null;
    }
    return text.strip();
  }
}
