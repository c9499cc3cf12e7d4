package io.cqrsbooks.embedded;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The first {@code n} elements of a stream in a given order, without sorting them all: elements gather in
 * a buffer of a few times {@code n}; when it is full it is sorted and cut back to its first {@code n}, and
 * the n-th becomes the cutoff that later elements must come before to be kept at all. The sort is stable
 * and kept elements precede newer arrivals (an element tied with the cutoff comes after it), so the answer
 * is exactly the first n of {@code stream.sorted(order)}, whether or not an element is checked against
 * the cutoff (see {@link Selection} for when it is).
 */
final class TopMatches {

  /** Above this many, sorting everything is as cheap, and the buffer would hold as much. */
  static final int MAX_KEPT = 20_000;
  private static final int MIN_BUFFER = 256;

  private TopMatches() {
  }

  static <T> List<T> select(Stream<T> stream, Comparator<? super T> order, int n) {
    if (n <= 0) {
      return List.of();
    }
    Selection<T> selection = new Selection<>(order, n, Math.max(MIN_BUFFER, 4 * n));
    stream.forEachOrdered(selection::offer);
    keepFirst(selection.buffer, order, n);
    return selection.buffer;
  }

  /**
   * The buffer and its cutoff. Each round (from one cut to the next) probes the cutoff on its first
   * {@link #PROBES} elements; it goes on comparing with it only if that rejected at least half of them. So
   * input in no order costs one comparison per element, and input arriving ever better (which passes
   * every cutoff) skips the comparisons and is left to the adaptive sort.
   */
  private static final class Selection<T> {

    private static final int PROBES = 16;

    final List<T> buffer;
    private final Comparator<? super T> order;
    private final int n;
    private final int capacity;
    private T cutoff;
    private int probed;
    private int rejected;

    Selection(Comparator<? super T> order, int n, int capacity) {
      this.order = order;
      this.n = n;
      this.capacity = capacity;
      this.buffer = new ArrayList<>(capacity);
    }

    void offer(T element) {
      boolean probing = probed < PROBES;
      if (cutoff != null && (probing || rejected * 2 >= PROBES)) {
        boolean behind = order.compare(element, cutoff) >= 0;
        if (probing) {
          probed++;
          rejected += behind ? 1 : 0;
        }
        if (behind) {
          return;
        }
      }
      buffer.add(element);
      if (buffer.size() == capacity) {
        keepFirst(buffer, order, n);
        cutoff = buffer.get(n - 1);
        probed = 0;
        rejected = 0;
      }
    }
  }

  private static <T> void keepFirst(List<T> buffer, Comparator<? super T> order, int n) {
    buffer.sort(order);
    if (buffer.size() > n) {
      buffer.subList(n, buffer.size()).clear();
    }
  }
}
