package io.cqrsbooks.system;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static io.cqrsbooks.system.Waits.await;

/**
 * A Server-Sent Events client as a browser's EventSource reads the stream: it splits frames into events
 * ({@code id}, {@code event}, {@code data}) and remembers the last id, to reconnect with Last-Event-ID.
 */
final class SseClient implements AutoCloseable {

  record Event(String id, String name, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final List<Event> events = new ArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private volatile boolean ended;

  private SseClient(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code /api/books/changes} on this port, sending {@code lastEventId} when not null. */
  static SseClient open(Vertx vertx, int port, String lastEventId) {
    SseClient sse = new SseClient(vertx.createHttpClient());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/api/books/changes");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // Set up on one event loop, so the handler is attached before any chunk can arrive.
    Promise<HttpClientResponse> opened = Promise.promise();
    vertx.runOnContext(start -> sse.client.request(options)
        .compose(request -> request.send())
        .map(response -> response
            .handler(chunk -> sse.received(chunk.toString()))
            .endHandler(end -> sse.ended = true))
        .onComplete(opened));
    HttpClientResponse response = await(opened.future());
    if (response.statusCode() != 200) {
      throw new AssertionError("the change stream answered " + response.statusCode());
    }
    return sse;
  }

  private synchronized void received(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String name = "message";
      StringBuilder data = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
        }
      }
      if (data != null) {
        events.add(new Event(id, name, data.toString()));
      }
    }
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The {@code change} events received so far, as their JSON data. */
  synchronized List<JsonObject> changes() {
    return events.stream().filter(e -> e.name().equals("change")).map(Event::json).toList();
  }

  /** The id of the last event that carried one: what a browser sends as Last-Event-ID. */
  synchronized String lastEventId() {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).id() != null) {
        return events.get(i).id();
      }
    }
    return null;
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    await(client.close());
  }
}
