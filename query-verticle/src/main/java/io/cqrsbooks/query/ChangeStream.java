package io.cqrsbooks.query;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /api/books/changes}: Server-Sent Events, one {@code change} event per applied change.
 * Each change is encoded once per verticle instance with open streams, and written to each of them.
 */
final class ChangeStream {

  private static final long HEARTBEAT_MILLIS = 15_000;

  private final Set<HttpServerResponse> open = new LinkedHashSet<>();

  ChangeStream(Vertx vertx) {
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS, message -> {
      // Encoded only where someone listens: most changes reach an instance with no stream open.
      if (!open.isEmpty()) {
        broadcast("event: change\ndata: " + message.body().toJson().encode() + "\n\n");
      }
    });
    // Keeps proxies from closing quiet streams and lets us notice clients that went away.
    vertx.setPeriodic(HEARTBEAT_MILLIS, tick -> broadcast(": keep-alive\n\n"));
  }

  void subscribe(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    open.add(response);
    response.closeHandler(closed -> open.remove(response));
    response.exceptionHandler(failure -> open.remove(response));
    response.write("retry: 2000\n: connected\n\n");
  }

  private void broadcast(String frame) {
    for (HttpServerResponse response : Set.copyOf(open)) {
      // A client that cannot keep up is dropped rather than buffered without bound; it reconnects.
      if (response.writeQueueFull()) {
        open.remove(response);
        response.reset();
      } else {
        response.write(frame);
      }
    }
  }
}
