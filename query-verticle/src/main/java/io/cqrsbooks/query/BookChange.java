package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A change applied to the read model (by this query process or another), as the {@link ChangeFeed}
 * announces it on the local event bus to every query API instance, for its change streams and its
 * consistency waiters. It is immutable, so it is handed over by reference: a {@link JsonObject} message
 * would be deep-copied for each of those listeners.
 *
 * @param partition the topic partition the event came from
 * @param offset its offset there
 * @param after the feed's position once this change is delivered: the SSE id of a client that has it
 * @param id {@code after}, encoded once per process
 * @param data the SSE data, {@code {type, bid, version, book}} with {@code book} null for a deletion,
 *     encoded once per process
 */
public record BookChange(BookEventType type, long bid, long version, int partition, long offset, FeedPosition after,
                         String id, String data) {

  /** Local event-bus address of applied changes. */
  public static final String ADDRESS = "cqrs-books.book-changes";

  static BookChange of(BookEvent event, int partition, long offset, FeedPosition after) {
    JsonObject json = new JsonObject()
        .put("type", event.type().name())
        .put("bid", event.bid())
        .put("version", event.version())
        .put("book", event.book() == null ? null : BookJson.toJson(event.book()));
    return new BookChange(event.type(), event.bid(), event.version(), partition, offset, after, after.encode(),
        json.encode());
  }

  /** Lets changes travel the event bus of this Vert.x instance; undone by {@link #unregister}. */
  public static void register(EventBus eventBus) {
    eventBus.registerDefaultCodec(BookChange.class, new LocalCodec());
  }

  public static void unregister(EventBus eventBus) {
    eventBus.unregisterDefaultCodec(BookChange.class);
  }

  /** Same-process delivery only: every consumer gets the same instance, nothing is encoded. */
  private static final class LocalCodec implements MessageCodec<BookChange, BookChange> {

    @Override
    public void encodeToWire(Buffer buffer, BookChange change) {
      throw new UnsupportedOperationException("book changes are announced within one process only");
    }

    @Override
    public BookChange decodeFromWire(int position, Buffer buffer) {
      throw new UnsupportedOperationException("book changes are announced within one process only");
    }

    @Override
    public BookChange transform(BookChange change) {
      return change;
    }

    @Override
    public String name() {
      return "cqrs-books.book-change";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
