package io.cqrsbooks.query;

import java.util.Arrays;
import java.util.Optional;

/**
 * A place in the topic of book events: for each partition, the offset of the next record not yet
 * delivered. It is the same in every query process, so it serves as the SSE event id: a client that
 * reconnects, to this process or another, says exactly which changes it already has.
 * Written {@code 0:1520,1:233,2:901}.
 */
public final class FeedPosition {

  /** Longest id accepted back from a client: 4096 partitions of 19-digit offsets. */
  private static final int MAX_TEXT = 4096 * 26;

  private final long[] next;

  private FeedPosition(long[] next) {
    this.next = next;
  }

  public static FeedPosition of(long... next) {
    return new FeedPosition(next.clone());
  }

  /** The next offset of {@code partition}; 0 for a partition this position does not know. */
  public long next(int partition) {
    return partition < next.length ? next[partition] : 0;
  }

  /** This position with the record at {@code offset} of {@code partition} delivered. */
  FeedPosition after(int partition, long offset) {
    long[] moved = Arrays.copyOf(next, Math.max(next.length, partition + 1));
    moved[partition] = Math.max(moved[partition], offset + 1);
    return new FeedPosition(moved);
  }

  /** The later of the two positions, partition by partition. */
  public FeedPosition max(FeedPosition other) {
    long[] merged = Arrays.copyOf(next, Math.max(next.length, other.next.length));
    for (int p = 0; p < other.next.length; p++) {
      merged[p] = Math.max(merged[p], other.next[p]);
    }
    return new FeedPosition(merged);
  }

  /** True when this position has every record {@code other} has delivered, partition by partition. */
  public boolean covers(FeedPosition other) {
    for (int p = 0; p < other.next.length; p++) {
      if (next(p) < other.next[p]) {
        return false;
      }
    }
    return true;
  }

  public String encode() {
    StringBuilder text = new StringBuilder();
    for (int p = 0; p < next.length; p++) {
      if (p > 0) {
        text.append(',');
      }
      text.append(p).append(':').append(next[p]);
    }
    return text.toString();
  }

  /** Empty for anything that is not an encoded position (partitions in order 0, 1, 2, ..., offsets >= 0). */
  public static Optional<FeedPosition> parse(String text) {
    if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
      return Optional.empty();
    }
    String[] parts = text.strip().split(",", -1);
    long[] next = new long[parts.length];
    for (int p = 0; p < parts.length; p++) {
      String[] pair = parts[p].strip().split(":", -1);
      try {
        if (pair.length != 2 || Integer.parseInt(pair[0]) != p) {
          return Optional.empty();
        }
        next[p] = Long.parseLong(pair[1]);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (next[p] < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new FeedPosition(next));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FeedPosition position && Arrays.equals(next, position.next);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(next);
  }

  @Override
  public String toString() {
    return encode();
  }
}
