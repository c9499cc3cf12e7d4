package io.cqrsbooks.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events of every schema this reader knows decode to the current form; the recorded examples under
 * test resources are what each schema's command side wrote (v1: the release before ISBNs, verbatim).
 */
class EventUpcastingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void recordedSchema1EventsDecodeToTheCurrentFormWithoutAnIsbn() throws Exception {
    BookEvent created = BookJson.decode(recorded("v1/book-created.json"));
    assertEquals(BookEvent.SCHEMA_VERSION, created.schemaVersion());
    assertEquals(1, created.readableFrom(), "a schema 1 event is readable by schema 1 readers");
    assertEquals(BookEventType.BookCreated, created.type());
    assertEquals("The Pragmatic Programmer", created.book().title());
    assertEquals(LocalDate.of(1999, 10, 20), created.book().publishedDate());
    assertNull(created.book().isbn());

    BookEvent updated = BookJson.decode(recorded("v1/book-updated.json"));
    assertEquals(2, updated.version());
    assertNull(updated.book().isbn());
    BookEvent deleted = BookJson.decode(recorded("v1/book-deleted.json"));
    assertEquals(BookEventType.BookDeleted, deleted.type());
    assertNull(deleted.book());
  }

  @Test
  void recordedSchema2EventsDecodeAndEncodeToExactlyTheRecordedText() throws Exception {
    for (String name : new String[] {"v2/book-created.json", "v2/book-updated.json", "v2/book-deleted.json"}) {
      String text = recorded(name);
      BookEvent event = BookJson.decode(text);
      assertEquals(2, event.schemaVersion(), name);
      assertEquals(text, BookJson.encode(event), name + ": the wire form changed");
    }
    assertEquals("9780135957059", BookJson.decode(recorded("v2/book-created.json")).book().isbn());
    assertNull(BookJson.decode(recorded("v2/book-updated.json")).book().isbn());
  }

  @Test
  void theIsbnStepGivesABookWithoutOneANullIsbnAndLeavesEverythingElse() throws Exception {
    ObjectNode created = (ObjectNode) JSON.readTree(recorded("v1/book-created.json"));
    ObjectNode expected = created.deepCopy();
    new IsbnAdded().upcast(created);
    ((ObjectNode) expected.get("book")).putNull("isbn");
    assertEquals(expected, created);

    ObjectNode deleted = (ObjectNode) JSON.readTree(recorded("v1/book-deleted.json"));
    ObjectNode deletedBefore = deleted.deepCopy();
    new IsbnAdded().upcast(deleted);
    assertEquals(deletedBefore, deleted, "a deletion carries no book to change");

    ObjectNode alreadyHasOne = (ObjectNode) JSON.readTree(recorded("v2/book-created.json"));
    new IsbnAdded().upcast(alreadyHasOne);
    assertEquals("9780135957059", alreadyHasOne.get("book").get("isbn").asText());
  }

  @Test
  void theChainHasOneStepPerSchemaInOrder() {
    assertEquals(BookEvent.SCHEMA_VERSION - 1, EventUpcasters.CHAIN.size());
    for (int i = 0; i < EventUpcasters.CHAIN.size(); i++) {
      assertEquals(i + 1, EventUpcasters.CHAIN.get(i).from());
    }
  }

  /** A reader one schema behind applies events that say it can, and sets aside those that say it cannot. */
  @Test
  void aReaderOfTheSchemaBeforeReadsCompatibleEventsAndRefusesIncompatibleOnesNamingTheVersion() throws Exception {
    BookEvent read = BookJson.decode(recorded("v2/book-created.json"), 1);
    assertEquals("The Pragmatic Programmer", read.book().title());

    String incompatible = recorded("v2/book-created.json")
        .replace("\"schemaVersion\":2,\"readableFrom\":1", "\"schemaVersion\":3,\"readableFrom\":3");
    InvalidEventException refused = assertThrows(InvalidEventException.class, () -> BookJson.decode(incompatible));
    assertTrue(refused.getMessage().contains("schema version 3"), refused.getMessage());
    assertTrue(refused.getMessage().contains("needs a reader of schema 3"), refused.getMessage());

    String compatibleNewer = recorded("v2/book-created.json").replace("\"schemaVersion\":2", "\"schemaVersion\":3")
        .replace("\"book\":{", "\"book\":{\"subtitle\":\"a field this reader does not know\",");
    assertEquals("9780135957059", BookJson.decode(compatibleNewer).book().isbn(), "unknown fields are ignored");
  }

  @Test
  void anIsbnThatIsNotThirteenCheckedDigitsMakesTheEventInvalid() throws Exception {
    String bad = recorded("v2/book-created.json").replace("9780135957059", "9780135957058");
    InvalidEventException refused = assertThrows(InvalidEventException.class, () -> BookJson.decode(bad));
    assertTrue(refused.getMessage().contains("isbn"), refused.getMessage());
  }

  static String recorded(String name) throws IOException {
    try (InputStream in = EventUpcastingTest.class.getResourceAsStream("/events/" + name)) {
      if (in == null) {
        throw new IOException("no recorded event " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
