package io.cqrsbooks.contract;

/** Where book events travel and which form they have. */
public final class Topics {

  public static final String DEFAULT_BOOK_EVENTS = "books.events";

  /** Raised only by a change that old readers cannot understand. */
  public static final int SCHEMA_VERSION = 1;

  private Topics() {
  }
}
