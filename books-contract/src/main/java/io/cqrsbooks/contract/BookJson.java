package io.cqrsbooks.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The one JSON mapping of books and events (Jackson): dates as {@code YYYY-MM-DD},
 * instants as ISO-8601 text, unknown fields in events tolerated so newer writers do not break older readers.
 */
public final class BookJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private BookJson() {
  }

  public static JsonObject toJson(Book book) {
    return new JsonObject(MAPPER.convertValue(book, MAP));
  }

  public static Book fromJson(JsonObject json) {
    return MAPPER.convertValue(json.getMap(), Book.class);
  }

  /** The API's JSON text of a book, written straight from the record (no intermediate map). */
  public static String encode(Book book) {
    try {
      return MAPPER.writeValueAsString(book);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a book could not be written as JSON", e);
    }
  }

  public static String encode(BookEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a book event could not be written as JSON", e);
    }
  }

  /** Reads and checks an event; anything that is not a complete, coherent event is rejected with the reason. */
  public static BookEvent decode(String text) throws InvalidEventException {
    if (text == null) {
      throw new InvalidEventException("empty message");
    }
    BookEvent event;
    try {
      event = MAPPER.readValue(text, BookEvent.class);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not a book event: " + e.getOriginalMessage(), e);
    }
    check(event);
    return event;
  }

  private static void check(BookEvent event) throws InvalidEventException {
    if (event.type() == null) {
      throw new InvalidEventException("missing type");
    }
    if (event.bid() <= 0 || event.version() <= 0) {
      throw new InvalidEventException("bid and version must be positive");
    }
    if (event.schemaVersion() > BookEvent.SCHEMA_VERSION) {
      throw new InvalidEventException("schema version " + event.schemaVersion() + " is newer than this reader");
    }
    Book book = event.book();
    if (event.type().removesBook()) {
      return;
    }
    if (book == null || book.title() == null) {
      throw new InvalidEventException(event.type() + " without a book");
    }
    if (book.bid() != event.bid() || book.version() != event.version()) {
      throw new InvalidEventException("the book's bid/version differ from the event's");
    }
  }
}
