package io.cqrsbooks.query;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedPositionTest {

  @Test
  void encodesAndParsesBack() {
    FeedPosition position = FeedPosition.of(1520, 0, 901);
    assertEquals("0:1520,1:0,2:901", position.encode());
    assertEquals(Optional.of(position), FeedPosition.parse("0:1520,1:0,2:901"));
    assertEquals(Optional.of(position), FeedPosition.parse(" 0:1520, 1:0 ,2:901 "));
  }

  @Test
  void refusesWhatItNeverHandsOut() {
    for (String text : new String[] {null, "", " ", "garbage", "0:1,2:3", "1:5", "0:-1", "0:1,", "0:x", "0:1:2",
        "0:99999999999999999999", "0:" + "1".repeat(200_000)}) {
      assertEquals(Optional.empty(), FeedPosition.parse(text), String.valueOf(text).substring(0, Math.min(20, String.valueOf(text).length())));
    }
  }

  @Test
  void movesPastOneRecordAndNeverBack() {
    FeedPosition position = FeedPosition.of(10, 20);
    assertEquals(FeedPosition.of(10, 31), position.after(1, 30));
    assertEquals(position, position.after(1, 5), "an older offset does not move it back");
    assertEquals(FeedPosition.of(10, 20, 1), position.after(2, 0), "a partition it did not know");
  }

  @Test
  void coversAndMaxArePartitionByPartition() {
    FeedPosition a = FeedPosition.of(10, 20);
    FeedPosition b = FeedPosition.of(15, 5);
    assertEquals(FeedPosition.of(15, 20), a.max(b));
    assertFalse(a.covers(b));
    assertFalse(b.covers(a));
    assertTrue(a.max(b).covers(a) && a.max(b).covers(b));
    assertFalse(FeedPosition.of(10).covers(FeedPosition.of(10, 1)), "a missing partition is at 0");
  }
}
