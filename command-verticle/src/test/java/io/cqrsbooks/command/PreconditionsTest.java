package io.cqrsbooks.command;

import io.cqrsbooks.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.*;

class PreconditionsTest {

  @Test
  void readsBareVersionsEtagsAndWeakEtags() {
    assertEquals(OptionalLong.of(3), Preconditions.expectedVersion("3"));
    assertEquals(OptionalLong.of(3), Preconditions.expectedVersion("\"3\""));
    assertEquals(OptionalLong.of(3), Preconditions.expectedVersion("W/\"3\""));
  }

  @Test
  void absentOrStarMeansAnyVersion() {
    assertEquals(OptionalLong.empty(), Preconditions.expectedVersion(null));
    assertEquals(OptionalLong.empty(), Preconditions.expectedVersion("*"));
  }

  @Test
  void refusesWhatIsNotAVersion() {
    for (String bad : new String[] {"abc", "\"x\"", "0", "-2", "\"3"}) {
      ApiException e = assertThrows(ApiException.class, () -> Preconditions.expectedVersion(bad), bad);
      assertEquals(400, e.status());
      assertEquals("If-Match", e.details().get(0).field());
    }
  }

  @Test
  void theEtagWeHandOutIsAcceptedBack() {
    assertEquals(OptionalLong.of(7), Preconditions.expectedVersion(io.cqrsbooks.http.BookResources.etag(7)));
  }
}
