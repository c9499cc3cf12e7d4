package io.cqrsbooks.query;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A change the consumer applied to the read model, announced on the local event bus to every query API
 * instance (for its change streams and its consistency waiters). It is immutable, so it is handed over
 * by reference: a {@link JsonObject} message would be deep-copied for each of those listeners.
 */
record BookChange(BookEventType type, long bid, long version, Book book) {

  /** Local event-bus address of applied changes. */
  static final String ADDRESS = "cqrs-books.book-changes";

  /** {@code {type, bid, version, book}}, with {@code book} null for a deletion: what the SSE stream sends. */
  JsonObject toJson() {
    return new JsonObject()
        .put("type", type.name())
        .put("bid", bid)
        .put("version", version)
        .put("book", book == null ? null : BookJson.toJson(book));
  }

  /** Lets changes travel the event bus of this Vert.x instance; undone by {@link #unregister}. */
  static void register(EventBus eventBus) {
    eventBus.registerDefaultCodec(BookChange.class, new LocalCodec());
  }

  static void unregister(EventBus eventBus) {
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
