package io.cqrsbooks.embedded;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * The first {@code n} elements of a stream in a given order, kept in a bounded heap while it is read
 * (log n per element at worst, instead of sorting them all). Ties keep the stream's order, as a stable
 * sort does, so the answer is exactly the first n of {@code stream.sorted(order)}.
 */
final class TopMatches {

  /** Above this many, sorting everything is as cheap, and the heap would hold as much. */
  static final int MAX_KEPT = 20_000;

  private TopMatches() {
  }

  private record Ranked<T>(T element, long arrival) {
  }

  static <T> List<T> select(Stream<T> stream, Comparator<? super T> order, int n) {
    Comparator<Ranked<T>> ranking = Comparator.<Ranked<T>, T>comparing(Ranked::element, order)
        .thenComparingLong(Ranked::arrival);
    // The heap's head is the last of the kept ones: the one a better element replaces.
    PriorityQueue<Ranked<T>> kept = new PriorityQueue<>(Math.max(1, n), ranking.reversed());
    long[] arrivals = {0};
    stream.forEach(element -> {
      Ranked<T> ranked = new Ranked<>(element, arrivals[0]++);
      if (kept.size() < n) {
        kept.add(ranked);
      } else if (n > 0 && ranking.compare(ranked, kept.peek()) < 0) {
        kept.poll();
        kept.add(ranked);
      }
    });
    List<Ranked<T>> first = new ArrayList<>(kept);
    first.sort(ranking);
    return first.stream().map(Ranked::element).toList();
  }
}
