package io.cqrsbooks.embedded;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The first {@code n} elements of a stream in a given order, without sorting them all: elements gather in
 * a buffer of a few times {@code n}; when it is full it is sorted and cut back to its first {@code n}. The
 * sort is stable and the kept elements come before newer arrivals, so ties keep the stream's order and the
 * answer is exactly the first n of {@code stream.sorted(order)}. The sort is adaptive: input already in
 * (or against) the order costs about two comparisons per element, as a full sort of it does; input in no
 * order costs about log of the buffer's size, against log of the stream's size for a full sort.
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
    stream.forEachOrdered(element -> {
      buffer.add(element);
      if (buffer.size() == capacity) {
        keepFirst(buffer, order, n);
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
