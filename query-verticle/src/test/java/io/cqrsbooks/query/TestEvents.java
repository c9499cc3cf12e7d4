package io.cqrsbooks.query;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;

import java.time.Instant;
import java.time.LocalDate;

/** Book events as the command side writes them, for this module's tests: one book's history, version by version. */
public final class TestEvents {

  private TestEvents() {
  }

  public static BookEvent created(long bid, String title) {
    return BookEvent.of("e-" + bid + "-1", BookEventType.BookCreated, bid, 1, Instant.now(), book(bid, 1, title));
  }

  public static BookEvent updated(long bid, long version, String title) {
    return BookEvent.of("e-" + bid + "-" + version, BookEventType.BookUpdated, bid, version, Instant.now(),
        book(bid, version, title));
  }

  public static BookEvent deleted(long bid, long version) {
    return BookEvent.of("e-" + bid + "-" + version, BookEventType.BookDeleted, bid, version, Instant.now(), null);
  }

  public static Book book(long bid, long version, String title) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    return new Book(bid, title, "An Author", "tests", 10, 100, LocalDate.of(2020, 1, 1), "", null, version, at, at);
  }
}
