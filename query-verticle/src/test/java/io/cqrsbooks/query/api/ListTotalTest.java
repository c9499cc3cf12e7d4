package io.cqrsbooks.query.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ListTotalTest {

  @Test
  void aKeptCountIsExactHoweverLarge() {
    assertEquals(new ListTotal(100_000, false), ListTotal.kept(100_000));
  }

  @Test
  void aCountPastTheCapIsAnsweredAsTheCapAndMarkedCapped() {
    assertEquals(new ListTotal(1_000, true), ListTotal.counted(1_001, 1_000));
  }

  @Test
  void aCountUpToTheCapIsExact() {
    assertEquals(new ListTotal(1_000, false), ListTotal.counted(1_000, 1_000));
    assertEquals(new ListTotal(0, false), ListTotal.counted(0, 1_000));
  }
}
