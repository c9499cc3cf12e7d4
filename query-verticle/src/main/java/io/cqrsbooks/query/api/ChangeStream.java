package io.cqrsbooks.query.api;

import io.cqrsbooks.query.BookChange;
import io.cqrsbooks.query.ChangeWindow;
import io.cqrsbooks.query.FeedPosition;
import io.cqrsbooks.query.QueryStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/books/changes}: Server-Sent Events, one {@code change} event per applied change, each
 * with an {@code id:} (its {@link FeedPosition}). A client that reconnects with {@code Last-Event-ID} (or
 * {@code ?lastEventId=})
 * first receives the changes it missed, from the {@link ChangeWindow}; one too far behind receives a
 * {@code reload} event instead. A client whose buffer fills (it reads too slowly) gets a final
 * {@code closing} event and is closed, so one slow reader cannot grow the server's memory.
 *
 * <p>Frames are written to each client at most once per {@value #COALESCE_MILLIS} ms: the first frame after a
 * quiet spell goes out at once, and frames arriving meanwhile are joined into the next write. Under a
 * stream of changes a client then costs one write (one chunk, one system call) per period instead of one
 * per change.
 */
final class ChangeStream {

  static final String LAST_EVENT_ID = "Last-Event-ID";
  static final String LAST_EVENT_ID_PARAMETER = "lastEventId";
  private static final long MAX_HEARTBEAT_MILLIS = 15_000;
  /** How long a closed slow client may take to drain its last bytes before its connection is cut. */
  private static final long CLOSE_GRACE_MILLIS = 30_000;
  static final long COALESCE_MILLIS = 20;

  private final Vertx vertx;
  private final ChangeWindow window;
  private final QueryStatus status;
  private final int bufferBytes;
  private final Set<Client> open = new LinkedHashSet<>();
  /** Clients with frames waiting for the next write, in the order they got their first one. */
  private final Set<Client> waiting = new LinkedHashSet<>();
  private boolean flushScheduled;
  private long lastFlushNanos;

  /** One open stream and the position of the last change it was sent. */
  private static final class Client {
    final HttpServerResponse response;
    final HttpConnection connection;
    FeedPosition cursor;
    /** Frames waiting for the next write: a frame shared with other clients until a second one joins it. */
    Buffer pending;
    boolean pendingOwned;

    Client(HttpServerResponse response, HttpConnection connection) {
      this.response = response;
      this.connection = connection;
    }
  }

  /** @param idleTimeout the server closes silent connections after this; heartbeats come at least twice as often */
  ChangeStream(Vertx vertx, ChangeWindow window, QueryStatus status, int bufferBytes, Duration idleTimeout) {
    this.vertx = vertx;
    this.window = window;
    this.status = status;
    this.bufferBytes = bufferBytes;
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS, message -> {
      BookChange change = message.body();
      // Encoded once for every client that stands where the feed stood (almost all): one buffer, many writes.
      Buffer frame = Buffer.buffer(event(change.id(), "change", change.data()));
      for (Client client : List.copyOf(open)) {
        send(client, change, frame);
      }
    });
    // Keeps proxies from closing quiet streams and lets us notice clients that went away.
    long heartbeat = Math.max(100, Math.min(MAX_HEARTBEAT_MILLIS, idleTimeout.toMillis() / 2));
    vertx.setPeriodic(heartbeat, tick -> List.copyOf(open).forEach(client -> write(client, ": keep-alive\n\n")));
  }

  void subscribe(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(bufferBytes);
    Client client = new Client(response, ctx.request().connection());
    response.closeHandler(closed -> forget(client));
    response.exceptionHandler(failure -> forget(client));
    response.write("retry: 2000\n: connected\n\n");
    if (!window.started()) {
      // The feed has not found the topic yet: nothing has been announced, so there is nothing to miss.
      client.cursor = FeedPosition.of();
      remember(client);
      return;
    }
    // The header is what a reconnecting EventSource sends; the parameter is for a new one, which cannot set it.
    String lastEventId = ctx.request().getHeader(LAST_EVENT_ID);
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam(LAST_EVENT_ID_PARAMETER);
    }
    Optional<FeedPosition> since = lastEventId == null ? Optional.of(window.current()) : FeedPosition.parse(lastEventId);
    Optional<List<BookChange>> missed = since.flatMap(window::since);
    if (missed.isEmpty()) {
      client.cursor = window.current();
      remember(client);
      String reason = since.isEmpty()
          ? "Last-Event-ID is not an id this service handed out"
          : "the changes since Last-Event-ID are no longer held (the window keeps the most recent ones)";
      write(client, event(client.cursor.encode(), "reload", new JsonObject().put("reason", reason).encode()));
      return;
    }
    client.cursor = since.get();
    remember(client);
    // Says where the client stands even if no change comes before it disconnects.
    write(client, event(client.cursor.encode(), "ready", "{}"));
    missed.get().forEach(change -> send(client, change, null));
  }

  private void remember(Client client) {
    open.add(client);
    status.streamOpened();
  }

  private void forget(Client client) {
    waiting.remove(client);
    client.pending = null;
    if (open.remove(client)) {
      status.streamClosed();
    }
  }

  /**
   * Sends a change the client does not have yet; its id is the client's position once it has it.
   *
   * @param frame the change's frame with the feed's own position as id, or null to encode it here
   */
  private void send(Client client, BookChange change, Buffer frame) {
    if (change.offset() < client.cursor.next(change.partition())) {
      return;
    }
    FeedPosition next = client.cursor.max(change.after());
    client.cursor = next;
    if (frame != null && next.equals(change.after())) {
      write(client, frame);
    } else {
      write(client, Buffer.buffer(event(next.encode(), "change", change.data())));
    }
  }

  private static String event(String id, String name, String data) {
    return "id: " + id + "\nevent: " + name + "\ndata: " + data + "\n\n";
  }

  private void write(Client client, String frame) {
    write(client, Buffer.buffer(frame));
  }

  /** Queues a frame for the client's next write. */
  private void write(Client client, Buffer frame) {
    if (!open.contains(client)) {
      return;
    }
    if (client.pending == null) {
      client.pending = frame;
      client.pendingOwned = false;
      waiting.add(client);
    } else {
      if (!client.pendingOwned) {
        client.pending = Buffer.buffer(client.pending.length() * 4).appendBuffer(client.pending);
        client.pendingOwned = true;
      }
      client.pending.appendBuffer(frame);
    }
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    long sinceLast = (System.nanoTime() - lastFlushNanos) / 1_000_000;
    if (sinceLast >= COALESCE_MILLIS) {
      vertx.runOnContext(now -> flush());
    } else {
      vertx.setTimer(COALESCE_MILLIS - sinceLast, later -> flush());
    }
  }

  /** One write per waiting client, of everything queued for it; a client whose buffer is full is closed. */
  private void flush() {
    flushScheduled = false;
    lastFlushNanos = System.nanoTime();
    List<Client> due = List.copyOf(waiting);
    waiting.clear();
    for (Client client : due) {
      Buffer frames = client.pending;
      client.pending = null;
      if (!open.contains(client) || frames == null) {
        continue;
      }
      if (client.response.writeQueueFull()) {
        closeSlow(client);
      } else {
        client.response.write(frames);
      }
    }
  }

  /** The client did not keep up: one last event saying so, then the stream ends (it may reconnect). */
  private void closeSlow(Client client) {
    forget(client);
    // Once the client has read what is queued, the connection closes; if it never does, it is cut.
    client.response.end("event: closing\ndata: " + new JsonObject()
            .put("reason", "this client read the stream too slowly; reconnect with Last-Event-ID").encode() + "\n\n")
        .onComplete(ended -> client.connection.close());
    long cut = vertx.setTimer(CLOSE_GRACE_MILLIS, timer -> client.connection.close());
    client.connection.closeHandler(closed -> vertx.cancelTimer(cut));
  }
}
