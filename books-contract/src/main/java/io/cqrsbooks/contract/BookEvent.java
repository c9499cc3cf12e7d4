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
    Book book) {

  /** The form of events this code writes; raised only by a change that older readers cannot understand. */
  public static final int SCHEMA_VERSION = 1;

  public static BookEvent of(String eventId, BookEventType type, long bid, long version, Instant time, Book book) {
    return new BookEvent(eventId, type, bid, version, time, SCHEMA_VERSION, book);
  }

  public ConsistencyToken consistencyToken() {
    return new ConsistencyToken(bid, version);
  }
}
