package io.cqrsbooks.query.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How often an SSE client is written under a stream of changes, from its instance's streams and write budget. */
class ChangeStreamPeriodTest {

  @Test
  void aFewStreamsAreWrittenEveryFiveMilliseconds() {
    assertEquals(5, ChangeStream.period(1, 10_000));
    assertEquals(5, ChangeStream.period(50, 10_000));
  }

  @Test
  void manyStreamsShareTheBudgetOfWritesASecond() {
    // 1,000 streams over two instances: 500 each.
    assertEquals(50, ChangeStream.period(500, 10_000));
    assertEquals(25, ChangeStream.period(500, 20_000));
    assertEquals(500, ChangeStream.period(5_000, 10_000));
  }
}
