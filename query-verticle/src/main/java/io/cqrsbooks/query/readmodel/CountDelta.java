package io.cqrsbooks.query.readmodel;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch changes in the counts, per partition: books added or removed, overall and per category.
 * Built from the documents a batch replaces or removes and the books it writes; free of I/O.
 */
public final class CountDelta {

  private final Map<Integer, Map<String, Long>> byPartition = new TreeMap<>();

  /** A book that queries counted leaves (replaced or removed). */
  public void remove(int partition, String category) {
    add(partition, category, -1);
  }

  /** A book that queries will count arrives. */
  public void add(int partition, String category) {
    add(partition, category, +1);
  }

  private void add(int partition, String category, long n) {
    byPartition.computeIfAbsent(partition, p -> new HashMap<>()).merge(category, n, Long::sum);
  }

  /** Partitions whose counts change (a book replaced by itself in the same category changes none). */
  public Map<Integer, Map<String, Long>> changes() {
    Map<Integer, Map<String, Long>> changes = new TreeMap<>();
    byPartition.forEach((partition, categories) -> categories.forEach((category, n) -> {
      if (n != 0) {
        changes.computeIfAbsent(partition, p -> new TreeMap<>()).put(category, n);
      }
    }));
    return changes;
  }

  /** A partition's change overall: the sum of its categories' changes. */
  public long total(int partition) {
    return byPartition.getOrDefault(partition, Map.of()).values().stream().mapToLong(Long::longValue).sum();
  }
}
