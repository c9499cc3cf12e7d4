package io.cqrsbooks.contract;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class ConsistencyTokenTest {

  @Test
  void encodesAndParsesBack() {
    ConsistencyToken token = new ConsistencyToken(42, 3);
    assertEquals("42.3", token.encode());
    assertEquals(Optional.of(token), ConsistencyToken.parse("42.3"));
  }

  @Test
  void refusesAnythingElse() {
    for (String bad : new String[] {null, "", "42", ".3", "42.", "a.b", "0.1", "1.0", "-1.2", "1.2.3"}) {
      assertEquals(Optional.empty(), ConsistencyToken.parse(bad), bad);
    }
  }

  @Test
  void isSatisfiedByThatVersionOrNewer() {
    ConsistencyToken token = new ConsistencyToken(1, 3);
    assertFalse(token.isSatisfiedBy(2));
    assertTrue(token.isSatisfiedBy(3));
    assertTrue(token.isSatisfiedBy(4));
  }
}
