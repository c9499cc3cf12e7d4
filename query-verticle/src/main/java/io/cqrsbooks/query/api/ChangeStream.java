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
 * <p>Frames are written to each client at most once per period: the first frame after a quiet spell goes out
 * at once, and frames arriving meanwhile are joined into the next write. Under a stream of changes a client
 * then costs one write (one chunk, one system call) per period instead of one per change. The period is
 * {@value #COALESCE_MILLIS} ms, longer when this instance has so many streams that writing to each of them
 * that often would exceed its budget of writes a second ({@code query.changeStreamWritesPerSecond}, 10,000 by
 * default: at 1,000 streams, 50 ms per instance of two): the writes, not the changes, are what costs the CPU.
 *
 * <p>Almost every client stands where the feed stands, so those clients ({@code followers}) share one
 * buffer: a change is encoded and appended once, and each flush writes that same buffer to each of them.
 * Only a client that is catching up (just connected, or replaying what it missed) has frames of its own; it
 * joins the followers at the first flush after which it stands where they do.
 */
final class ChangeStream {

  static final String LAST_EVENT_ID = "Last-Event-ID";
  static final String LAST_EVENT_ID_PARAMETER = "lastEventId";
  private static final long MAX_HEARTBEAT_MILLIS = 15_000;
  /** How long a closed slow client may take to drain its last bytes before its connection is cut. */
  private static final long CLOSE_GRACE_MILLIS = 30_000;
  static final long COALESCE_MILLIS = 5;

  private final Vertx vertx;
  private final ChangeWindow window;
  private final QueryStatus status;
  private final int bufferBytes;
  private final int writesPerSecond;
  private final Set<Client> open = new LinkedHashSet<>();
  /** Clients that stand where the feed stands: they are sent {@link #shared}, and their cursor is {@link #position}. */
  private final Set<Client> followers = new LinkedHashSet<>();
  /** The other clients: catching up, with frames of their own for the next write. */
  private final Set<Client> catchingUp = new LinkedHashSet<>();
  /** The followers' frames since the last flush. */
  private Buffer shared = Buffer.buffer();
  /** Where the feed stands once its last change is delivered; null until the first change. */
  private FeedPosition position;
  private boolean flushScheduled;
  private long lastFlushNanos;

  /** One open stream and the position of the last change it was sent. */
  private static final class Client {
    final HttpServerResponse response;
    final HttpConnection connection;
    FeedPosition cursor;
    /** Frames of its own waiting for the next write, while it catches up. */
    Buffer pending;

    Client(HttpServerResponse response, HttpConnection connection) {
      this.response = response;
      this.connection = connection;
    }
  }

  /**
   * @param writesPerSecond this instance's budget of writes to its streams, which sets how often each is written
   * @param idleTimeout the server closes silent connections after this; heartbeats come at least twice as often
   */
  ChangeStream(Vertx vertx, ChangeWindow window, QueryStatus status, int bufferBytes, int writesPerSecond,
      Duration idleTimeout) {
    this.vertx = vertx;
    this.window = window;
    this.status = status;
    this.bufferBytes = bufferBytes;
    this.writesPerSecond = writesPerSecond;
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS, message -> announce(message.body()));
    // Keeps proxies from closing quiet streams and lets us notice clients that went away.
    long heartbeat = Math.max(100, Math.min(MAX_HEARTBEAT_MILLIS, idleTimeout.toMillis() / 2));
    vertx.setPeriodic(heartbeat, tick -> {
      appendShared(Buffer.buffer(": keep-alive\n\n"));
      List.copyOf(catchingUp).forEach(client -> write(client, ": keep-alive\n\n"));
    });
  }

  /** A change applied to the read model: once into the followers' buffer, and to each client catching up. */
  private void announce(BookChange change) {
    boolean news = position == null || change.offset() >= position.next(change.partition());
    if (news) {
      position = position == null ? change.after() : position.max(change.after());
      if (!followers.isEmpty()) {
        String id = position.equals(change.after()) ? change.id() : position.encode();
        appendShared(Buffer.buffer(event(id, "change", change.data())));
      }
    }
    for (Client client : List.copyOf(catchingUp)) {
      send(client, change);
    }
  }

  private void appendShared(Buffer frame) {
    if (followers.isEmpty()) {
      return;
    }
    shared.appendBuffer(frame);
    scheduleFlush();
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
    missed.get().forEach(change -> send(client, change));
  }

  private void remember(Client client) {
    open.add(client);
    catchingUp.add(client);
    status.streamOpened();
  }

  private void forget(Client client) {
    followers.remove(client);
    catchingUp.remove(client);
    client.pending = null;
    if (open.remove(client)) {
      status.streamClosed();
    }
  }

  /** Sends a change a client catching up does not have yet; its id is the client's position once it has it. */
  private void send(Client client, BookChange change) {
    if (change.offset() < client.cursor.next(change.partition())) {
      return;
    }
    FeedPosition next = client.cursor.max(change.after());
    client.cursor = next;
    write(client, Buffer.buffer(event(next.equals(change.after()) ? change.id() : next.encode(), "change", change.data())));
  }

  private static String event(String id, String name, String data) {
    return "id: " + id + "\nevent: " + name + "\ndata: " + data + "\n\n";
  }

  private void write(Client client, String frame) {
    write(client, Buffer.buffer(frame));
  }

  /** Queues a frame for the next write to a client catching up (followers are written {@link #shared}). */
  private void write(Client client, Buffer frame) {
    if (!catchingUp.contains(client)) {
      return;
    }
    if (client.pending == null) {
      client.pending = Buffer.buffer(Math.max(256, frame.length() * 2));
    }
    client.pending.appendBuffer(frame);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    long sinceLast = (System.nanoTime() - lastFlushNanos) / 1_000_000;
    long period = period(open.size(), writesPerSecond);
    if (sinceLast >= period) {
      vertx.runOnContext(now -> flush());
    } else {
      vertx.setTimer(period - sinceLast, later -> flush());
    }
  }

  /** Milliseconds between two writes to a client, for this many open streams and this budget of writes a second. */
  static long period(int streams, int writesPerSecond) {
    return Math.max(COALESCE_MILLIS, streams * 1000L / writesPerSecond);
  }

  /**
   * One write per client: the shared buffer to each follower, its own frames to each client catching up,
   * which then follows if it stands where the feed stands. A client whose buffer is full is closed.
   */
  private void flush() {
    flushScheduled = false;
    lastFlushNanos = System.nanoTime();
    if (shared.length() > 0) {
      Buffer frames = shared;
      shared = Buffer.buffer(frames.length());
      for (Client client : List.copyOf(followers)) {
        deliver(client, frames);
      }
    }
    for (Client client : List.copyOf(catchingUp)) {
      Buffer frames = client.pending;
      client.pending = null;
      boolean delivered = frames == null || deliver(client, frames);
      if (delivered && position != null && client.cursor.equals(position)) {
        catchingUp.remove(client);
        followers.add(client);
      }
    }
  }

  private boolean deliver(Client client, Buffer frames) {
    if (client.response.writeQueueFull()) {
      closeSlow(client);
      return false;
    }
    client.response.write(frames);
    return true;
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
