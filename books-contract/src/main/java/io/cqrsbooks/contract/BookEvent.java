package io.cqrsbooks.contract;

import java.time.Instant;

/**
 * One change to one book, as published on the events topic (key = {@code bid}).
 * {@code version} is the book's version after the change; for {@link BookEventType#BookDeleted}
 * it is one more than the last stored version and {@code book} is null.
 */
public record BookEvent(
    String eventId,
    BookEventType type,
    long bid,
    long version,
    Instant time,
    int schemaVersion,
    int readableFrom,
    Book book) {

  /** The form of events this code writes: 1, then 2 with {@code book.isbn}. */
  public static final int SCHEMA_VERSION = 2;
  /**
   * The oldest reader schema that applies events of this form correctly by ignoring the fields it does not
   * know. An additive change (a new optional field) keeps it; a change older readers would misread raises it
   * to the new schema version, and they set such events aside instead of applying them wrongly.
   */
  public static final int READABLE_FROM = 1;

  public static BookEvent of(String eventId, BookEventType type, long bid, long version, Instant time, Book book) {
    return new BookEvent(eventId, type, bid, version, time, SCHEMA_VERSION, READABLE_FROM, book);
  }

  public ConsistencyToken consistencyToken() {
    return new ConsistencyToken(bid, version);
  }
}
