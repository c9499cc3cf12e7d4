package io.cqrsbooks.contract;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.*;

class BookJsonTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final Book BOOK = new Book(7, "Dune", "Frank Herbert", "SF", 412, 1999,
      LocalDate.of(1965, 8, 1), "Spice.", "9780441013593", 2, CREATED, CREATED.plusSeconds(60));

  @Test
  void eventsSurviveTheRoundTripExactly() throws Exception {
    BookEvent event = BookEvent.of("e-1", BookEventType.BookUpdated, 7, 2, CREATED, BOOK);
    assertEquals(event, BookJson.decode(BookJson.encode(event)));
  }

  @Test
  void theWireFormNamesEveryFieldOfTheContract() {
    JsonObject json = new JsonObject(BookJson.encode(BookEvent.of("e-1", BookEventType.BookCreated, 7, 2, CREATED, BOOK)));
    assertEquals("BookCreated", json.getString("type"));
    assertEquals(7, json.getLong("bid"));
    assertEquals(2, json.getLong("version"));
    assertEquals("2026-01-02T03:04:05.123456Z", json.getString("time"));
    assertEquals(BookEvent.SCHEMA_VERSION, json.getInteger("schemaVersion"));
    assertEquals("1965-08-01", json.getJsonObject("book").getString("publishedDate"));
  }

  @Test
  void deletionsCarryNoBook() throws Exception {
    BookEvent deleted = BookEvent.of("e-2", BookEventType.BookDeleted, 7, 3, CREATED, null);
    assertNull(BookJson.decode(BookJson.encode(deleted)).book());
  }

  @Test
  void theDirectTextFormIsTheSameJsonAsTheObjectForm() {
    assertEquals(BookJson.toJson(BOOK), new JsonObject(BookJson.encode(BOOK)));
  }

  @Test
  void booksMapToTheApiJsonAndBack() {
    JsonObject json = BookJson.toJson(BOOK);
    assertEquals("Dune", json.getString("title"));
    assertEquals(BOOK, BookJson.fromJson(json));
  }

  @Test
  void newerFieldsAreToleratedButBrokenEventsAreRefusedWithAReason() throws Exception {
    String withExtra = new JsonObject(BookJson.encode(BookEvent.of("e", BookEventType.BookDeleted, 7, 3, CREATED, null)))
        .put("futureField", true).encode();
    assertEquals(7, BookJson.decode(withExtra).bid());

    assertInvalid("not json", "not a book event");
    assertInvalid("{\"type\":\"BookBurned\",\"bid\":1,\"version\":1}", "not a book event");
    assertInvalid("{\"bid\":1,\"version\":1}", "missing type");
    assertInvalid("{\"type\":\"BookCreated\",\"bid\":0,\"version\":1}", "bid and version must be positive");
    assertInvalid("{\"type\":\"BookCreated\",\"bid\":1,\"version\":1}", "BookCreated without a book");
    String mismatched = new JsonObject(BookJson.encode(BookEvent.of("e", BookEventType.BookUpdated, 8, 2, CREATED, BOOK))).encode();
    assertInvalid(mismatched, "the book's bid/version differ from the event's");
    assertInvalid(null, "empty message");
  }

  private static void assertInvalid(String text, String reason) {
    InvalidEventException e = assertThrows(InvalidEventException.class, () -> BookJson.decode(text));
    assertTrue(e.getMessage().startsWith(reason), e.getMessage());
  }
}
