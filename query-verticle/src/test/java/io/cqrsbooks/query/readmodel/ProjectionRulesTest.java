package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProjectionRulesTest {

  private static BookEvent updated(long bid, long version) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Book book = new Book(bid, "t" + version, "", "", 1, 1, null, "", null, version, now, now);
    return BookEvent.of("e" + bid + "-" + version, version == 1 ? BookEventType.BookCreated : BookEventType.BookUpdated,
        bid, version, now, book);
  }

  private static BookEvent deleted(long bid, long version) {
    return BookEvent.of("d" + bid, BookEventType.BookDeleted, bid, version, Instant.EPOCH, null);
  }

  @Test
  void keepsOnlyTheNewestEventOfEachBookInFirstAppearanceOrder() {
    List<BookEvent> batch = List.of(updated(1, 1), updated(2, 1), updated(1, 2), updated(1, 2), updated(2, 1));
    assertEquals(List.of(updated(1, 2), updated(2, 1)), ProjectionRules.newestPerBook(batch));
  }

  @Test
  void anOlderEventArrivingLaterDoesNotWin() {
    assertEquals(List.of(updated(1, 3)), ProjectionRules.newestPerBook(List.of(updated(1, 3), updated(1, 2))));
  }

  @Test
  void aDeletionSupersedesEarlierVersionsInTheSameBatch() {
    assertEquals(List.of(deleted(1, 3)), ProjectionRules.newestPerBook(List.of(updated(1, 2), deleted(1, 3))));
  }

  @Test
  void onlyChangesNewerThanWhatWasAppliedAreWritten() {
    assertTrue(ProjectionRules.isNewer(1, null), "a book never seen");
    assertTrue(ProjectionRules.isNewer(4, 3L));
    assertFalse(ProjectionRules.isNewer(3, 3L), "a duplicate");
    assertFalse(ProjectionRules.isNewer(2, 3L), "an older event, or a create replayed after a deletion at 3");
  }
}
