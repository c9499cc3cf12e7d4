package io.cqrsbooks.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IsbnTest {

  @Test
  void wellFormedIsbnsAreKeptAsTheirThirteenDigits() {
    assertEquals("9780306406157", Isbn.normalize("978-0-306-40615-7").digits());
    assertEquals("9780306406157", Isbn.normalize("978 0 306 40615 7").digits());
    assertEquals("9791032305690", Isbn.normalize("9791032305690").digits());
  }

  @Test
  void anythingElseIsRefusedWithTheReason() {
    assertProblem("978030640615", "must be an ISBN-13");
    assertProblem("97803064061577", "must be an ISBN-13");
    assertProblem("978-0-306-4061X-7", "must be an ISBN-13");
    assertProblem("0306406152", "must be an ISBN-13");
    assertProblem("9770306406157", "must start with 978 or 979");
    assertProblem("9780306406158", "has a wrong check digit");
  }

  private static void assertProblem(String text, String problem) {
    Isbn.Result result = Isbn.normalize(text);
    assertNull(result.digits(), text);
    assertEquals(problem, result.problem().substring(0, problem.length()), text);
  }
}
