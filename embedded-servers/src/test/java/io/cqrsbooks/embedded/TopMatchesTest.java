package io.cqrsbooks.embedded;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopMatchesTest {

  private record Item(int key, int id) {
  }

  @Test
  void keepsExactlyTheFirstNOfAStableSortTiesInArrivalOrder() {
    Random random = new Random(3);
    Comparator<Item> byKey = Comparator.comparingInt(Item::key);
    for (int round = 0; round < 200; round++) {
      List<Item> items = new ArrayList<>();
      int size = random.nextInt(2000); // the buffer (at least 256) fills and is cut back several times
      for (int i = 0; i < size; i++) {
        items.add(new Item(random.nextInt(10), i)); // few keys: many ties
      }
      // In no order, and arriving ever better (each element passes the cutoff: comparisons are skipped).
      List<Item> improving = items.stream().sorted(Comparator.comparingInt(Item::key).reversed()).toList();
      for (List<Item> input : List.of(items, improving)) {
        for (int n : new int[] {0, 1, 5, 21, size, size + 3}) {
          Comparator<Item> order = round % 2 == 0 ? byKey : byKey.reversed();
          assertEquals(input.stream().sorted(order).limit(n).toList(), TopMatches.select(input.stream(), order, n),
              "size " + size + ", n " + n);
        }
      }
    }
  }
}
