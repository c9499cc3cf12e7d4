package io.cqrsbooks.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /** Reads and checks an event as this code's schema ({@link BookEvent#SCHEMA_VERSION}) reads it. */
  public static BookEvent decode(String text) throws InvalidEventException {
    return decode(text, BookEvent.SCHEMA_VERSION);
  }

  /**
   * Reads and checks an event as a reader of schema {@code readerVersion} does: an older event is upcast
   * step by step ({@link EventUpcasters}); a newer one is read as it is when it says readers of this schema
   * can ({@code readableFrom}), its unknown fields ignored; anything else, and anything that is not a
   * complete, coherent event, is rejected with the reason.
   */
  public static BookEvent decode(String text, int readerVersion) throws InvalidEventException {
    if (text == null) {
      throw new InvalidEventException("empty message");
    }
    BookEvent event;
    try {
      if (!(MAPPER.readTree(text) instanceof ObjectNode node)) {
        throw new InvalidEventException("not a book event: not a JSON object");
      }
      int version = intField(node, "schemaVersion", 1);
      if (version < 1) {
        throw new InvalidEventException("schema version " + version + " does not exist");
      }
      if (version > readerVersion) {
        int readableFrom = intField(node, "readableFrom", version);
        if (readableFrom > readerVersion) {
          throw new InvalidEventException("schema version " + version + " is newer than this reader (schema "
              + readerVersion + ") and needs a reader of schema " + readableFrom + " or newer");
        }
      } else {
        EventUpcasters.upcast(node, version, readerVersion);
      }
      event = MAPPER.treeToValue(node, BookEvent.class);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not a book event: " + e.getOriginalMessage(), e);
    }
    check(event);
    return event;
  }

  private static int intField(ObjectNode node, String name, int absent) throws InvalidEventException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new InvalidEventException(name + " must be an integer");
    }
    return value.intValue();
  }

  private static void check(BookEvent event) throws InvalidEventException {
    if (event.type() == null) {
      throw new InvalidEventException("missing type");
    }
    if (event.bid() <= 0 || event.version() <= 0) {
      throw new InvalidEventException("bid and version must be positive");
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
    if (book.isbn() != null && !book.isbn().equals(Isbn.normalize(book.isbn()).digits())) {
      throw new InvalidEventException("the book's isbn is not the 13 digits of an ISBN-13");
    }
  }
}
