package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.BookEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The version rules of the projection, free of I/O so they can be tested alone. */
public final class ProjectionRules {

  private ProjectionRules() {
  }

  /**
   * Only the newest event of each book in a batch matters: the others would be overwritten by it
   * (or refused by the version guard), so they are skipped. Order of first appearance is kept.
   */
  public static List<BookEvent> newestPerBook(List<BookEvent> events) {
    Map<Long, BookEvent> newest = new LinkedHashMap<>();
    for (BookEvent event : events) {
      newest.merge(event.bid(), event, (kept, candidate) -> candidate.version() > kept.version() ? candidate : kept);
    }
    return new ArrayList<>(newest.values());
  }

  /**
   * A change is applied only if it is newer than what the read model last applied for that book,
   * live or deleted: duplicates, replays, stale events and resurrections after a deletion change nothing.
   */
  public static boolean isNewer(long version, Long appliedVersion) {
    return appliedVersion == null || version > appliedVersion;
  }
}
