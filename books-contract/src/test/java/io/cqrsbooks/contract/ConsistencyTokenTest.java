package io.cqrsbooks.contract;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
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
  void aQueryMayCarrySeveralInOneHeaderOrMany() {
    List<ConsistencyToken> expected = List.of(new ConsistencyToken(7, 1), new ConsistencyToken(8, 3),
        new ConsistencyToken(9, 2));
    assertEquals(Optional.of(expected), ConsistencyToken.parseAll(List.of("7.1, 8.3,9.2")));
    assertEquals(Optional.of(expected), ConsistencyToken.parseAll(List.of("7.1", " 8.3 ,9.2")));
    assertEquals(Optional.of(List.of(new ConsistencyToken(7, 1))), ConsistencyToken.parseAll(List.of("7.1")));
  }

  @Test
  void aListWithOneBadPartOrTooManyIsRefused() {
    for (String bad : new String[] {"", "7.1,", ",7.1", "7.1,,8.3", "7.1, x", "7.1;8.3"}) {
      assertEquals(Optional.empty(), ConsistencyToken.parseAll(List.of(bad)), bad);
    }
    assertEquals(Optional.empty(), ConsistencyToken.parseAll(List.of()));
    String most = String.join(",", Collections.nCopies(ConsistencyToken.MAX_PER_QUERY, "5.1"));
    assertEquals(ConsistencyToken.MAX_PER_QUERY, ConsistencyToken.parseAll(List.of(most)).orElseThrow().size());
    assertEquals(Optional.empty(), ConsistencyToken.parseAll(List.of(most + ",5.1")));
  }

  @Test
  void isSatisfiedByThatVersionOrNewer() {
    ConsistencyToken token = new ConsistencyToken(1, 3);
    assertFalse(token.isSatisfiedBy(2));
    assertTrue(token.isSatisfiedBy(3));
    assertTrue(token.isSatisfiedBy(4));
  }
}
