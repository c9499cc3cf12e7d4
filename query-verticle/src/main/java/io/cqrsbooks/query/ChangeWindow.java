package io.cqrsbooks.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The most recent changes this process delivered, so a change stream that reconnects with the id of the
 * last change it saw receives the ones it missed. Bounded by a number of changes and of bytes of change
 * data; a client further behind than the window is told to reload instead.
 *
 * <p>Written by the feed's event loop, read by the API instances' event loops: every method is
 * synchronized, and each holds the lock for a copy of at most the window.
 */
public final class ChangeWindow {

  private final int maxChanges;
  private final long maxBytes;
  private final ArrayDeque<BookChange> changes = new ArrayDeque<>();
  private long bytes;
  /** Per partition, the offset from which every delivered change is still held. */
  private FeedPosition floor;
  /** Where the feed stands: every change before this has been delivered. */
  private FeedPosition current;

  public ChangeWindow(int maxChanges, long maxBytes) {
    this.maxChanges = maxChanges;
    this.maxBytes = maxBytes;
  }

  /** The feed starts at {@code start}: nothing before it can be replayed. */
  synchronized void startAt(FeedPosition start) {
    floor = start;
    current = start;
  }

  public synchronized boolean started() {
    return current != null;
  }

  /** Records that the feed moved past a record it did not deliver (a duplicate, a stale or unreadable event). */
  synchronized void skipped(FeedPosition after) {
    current = after;
  }

  synchronized void add(BookChange change) {
    changes.addLast(change);
    bytes += change.data().length();
    current = change.after();
    while (changes.size() > maxChanges || bytes > maxBytes) {
      BookChange oldest = changes.removeFirst();
      bytes -= oldest.data().length();
      floor = floor.after(oldest.partition(), oldest.offset());
    }
  }

  /** Where a new client starts: after every change delivered so far. */
  public synchronized FeedPosition current() {
    return current;
  }

  /**
   * The changes after {@code since}, in delivery order; empty when some of them are no longer held (or the
   * feed has not started), so the client must reload.
   */
  public synchronized Optional<List<BookChange>> since(FeedPosition since) {
    if (floor == null || !since.covers(floor)) {
      return Optional.empty();
    }
    List<BookChange> missed = new ArrayList<>();
    for (BookChange change : changes) {
      if (change.offset() >= since.next(change.partition())) {
        missed.add(change);
      }
    }
    return Optional.of(missed);
  }

  synchronized int size() {
    return changes.size();
  }
}
