package io.cqrsbooks.contract;

/** What happened to a book. The names are the {@code type} values on the wire. */
public enum BookEventType {
  BookCreated,
  BookUpdated,
  BookDeleted;

  public boolean removesBook() {
    return this == BookDeleted;
  }
}
