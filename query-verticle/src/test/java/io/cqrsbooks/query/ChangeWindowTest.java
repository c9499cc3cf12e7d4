package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEventType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeWindowTest {

  private static BookChange change(FeedPosition before, int partition, long offset, long bid, String data) {
    FeedPosition after = before.after(partition, offset);
    return new BookChange(BookEventType.BookUpdated, bid, 1, partition, offset, after, after.encode(), data);
  }

  /** Delivers records {@code (partition, offset)} in this order, each a change of 10 bytes. */
  private static List<BookChange> deliver(ChangeWindow window, int[][] records) {
    List<BookChange> changes = new java.util.ArrayList<>();
    for (int[] record : records) {
      BookChange change = change(window.current(), record[0], record[1], record[1], "0123456789");
      window.add(change);
      changes.add(change);
    }
    return changes;
  }

  @Test
  void replaysWhatAPositionHasNotSeenInDeliveryOrder() {
    ChangeWindow window = new ChangeWindow(100, 1_000_000);
    window.startAt(FeedPosition.of(5, 7));
    List<BookChange> delivered = deliver(window, new int[][] {{0, 5}, {1, 7}, {0, 6}, {1, 8}, {0, 7}});
    assertEquals(Optional.of(delivered), window.since(FeedPosition.of(5, 7)));
    assertEquals(Optional.of(List.of(delivered.get(2), delivered.get(3), delivered.get(4))),
        window.since(delivered.get(1).after()));
    assertEquals(Optional.of(List.of()), window.since(window.current()));
    assertEquals(Optional.of(List.of(delivered.get(3))), window.since(FeedPosition.of(8, 8)), "ahead on one partition");
  }

  @Test
  void aPositionOlderThanTheWindowMustReload() {
    ChangeWindow window = new ChangeWindow(3, 1_000_000);
    window.startAt(FeedPosition.of(0, 0));
    List<BookChange> delivered = deliver(window, new int[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}});
    assertEquals(3, window.size());
    assertEquals(Optional.empty(), window.since(FeedPosition.of(0, 0)), "the first change is gone");
    assertEquals(Optional.of(delivered.subList(1, 4)), window.since(delivered.get(0).after()));
    assertEquals(Optional.empty(), window.since(FeedPosition.of(0)), "a partition it does not name is at 0");
  }

  @Test
  void isBoundedByBytesToo() {
    ChangeWindow window = new ChangeWindow(1000, 25);
    window.startAt(FeedPosition.of(0));
    deliver(window, new int[][] {{0, 0}, {0, 1}, {0, 2}});
    assertEquals(2, window.size());
    assertTrue(window.since(FeedPosition.of(1)).isPresent());
    assertFalse(window.since(FeedPosition.of(0)).isPresent());
  }

  @Test
  void skippedRecordsMoveTheCurrentPosition() {
    ChangeWindow window = new ChangeWindow(10, 1000);
    window.startAt(FeedPosition.of(0));
    window.skipped(FeedPosition.of(4));
    assertEquals(FeedPosition.of(4), window.current());
    assertEquals(Optional.of(List.of()), window.since(FeedPosition.of(0)));
  }

  @Test
  void beforeTheFeedStartsNothingCanBeReplayed() {
    ChangeWindow window = new ChangeWindow(10, 1000);
    assertFalse(window.started());
    assertEquals(Optional.empty(), window.since(FeedPosition.of(0)));
  }
}
