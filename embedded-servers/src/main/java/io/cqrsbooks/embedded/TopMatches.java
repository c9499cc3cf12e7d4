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
 * is exactly the first n of {@code stream.sorted(order)}. Input in no order costs about one comparison per
 * element once the cutoff is set; input arriving ever better (the newest first, read oldest first) passes
 * every cutoff, and the adaptive sort takes it in about two comparisons per element, as a full sort does.
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
    int capacity = Math.max(MIN_BUFFER, 4 * n);
    List<T> buffer = new ArrayList<>(capacity);
    List<T> cutoff = new ArrayList<>(1);
    stream.forEachOrdered(element -> {
      if (!cutoff.isEmpty() && order.compare(element, cutoff.get(0)) >= 0) {
        return;
      }
      buffer.add(element);
      if (buffer.size() == capacity) {
        keepFirst(buffer, order, n);
        cutoff.clear();
        cutoff.add(buffer.get(n - 1));
      }
    });
    keepFirst(buffer, order, n);
    return buffer;
  }

  private static <T> void keepFirst(List<T> buffer, Comparator<? super T> order, int n) {
    buffer.sort(order);
    if (buffer.size() > n) {
      buffer.subList(n, buffer.size()).clear();
    }
  }
}
