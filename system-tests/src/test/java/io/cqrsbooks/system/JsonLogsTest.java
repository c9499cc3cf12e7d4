package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.cqrsbooks.system.TestSystem.book;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * With {@code logging.format} = json each side writes one JSON object per line, and one book's journey can be
 * followed across the two processes by the request id: the command side's outbox line and the projection's line
 * carry the same {@code requestId}.
 */
class JsonLogsTest extends SystemTest {

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.startInProcesses(config -> config.put("logging", new JsonObject().put("format", "json")
        .put("debug", new JsonArray().add("io.cqrsbooks.command.BookStore").add("io.cqrsbooks.query.BookEventConsumer"))));
  }

  @Test
  void everyLineIsJsonAndTheRequestIdFollowsTheBookFromTheCommandToTheProjection() {
    HttpResponse<Buffer> created = system.command(HttpMethod.POST, "/api/books", book("Followed in the logs", 1, 1),
        "X-Request-Id", "journey-42");
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long bid = created.bodyAsJsonObject().getLong("bid");

    awaitTrue("the projection logged the book", Duration.ofSeconds(20),
        () -> lineWith(system.querySideLog(), "io.cqrsbooks.query.BookEventConsumer", "journey-42").isPresent());
    JsonObject projected = lineWith(system.querySideLog(), "io.cqrsbooks.query.BookEventConsumer", "journey-42").get();
    assertEquals("DEBUG", projected.getString("level"));
    assertTrue(projected.getString("formattedMessage").contains("applied BookCreated of book " + bid), projected.encode());
    assertEquals(String.valueOf(bid), keyValue(projected, "bid"));
    JsonObject written = lineWith(system.commandSideLog(), "io.cqrsbooks.command.BookStore", "journey-42")
        .orElseGet(() -> fail("no outbox line with the request id:\n" + system.commandSideLog()));
    assertEquals(keyValue(written, "eventId"), keyValue(projected, "eventId"), "the same event on both sides");

    for (String log : List.of(system.commandSideLog(), system.querySideLog())) {
      List<String> notJson = new ArrayList<>();
      log.lines().filter(line -> !line.isBlank()).forEach(line -> {
        try {
          JsonObject entry = new JsonObject(line);
          if (entry.getString("level") == null || entry.getString("loggerName") == null) {
            notJson.add(line);
          }
        } catch (DecodeException e) {
          notJson.add(line);
        }
      });
      assertEquals(List.of(), notJson, "lines that are not JSON log entries");
    }
  }

  private static Optional<JsonObject> lineWith(String log, String logger, String requestId) {
    return log.lines().filter(line -> line.startsWith("{")).map(JsonObject::new)
        .filter(entry -> logger.equals(entry.getString("loggerName")))
        .filter(entry -> requestId.equals(keyValue(entry, "requestId")))
        .findFirst();
  }

  /** A key-value pair of a log line ({@code kvpList}: one single-key object per pair). */
  private static String keyValue(JsonObject entry, String key) {
    JsonArray pairs = entry.getJsonArray("kvpList", new JsonArray());
    for (Object pair : pairs) {
      if (pair instanceof JsonObject object && object.containsKey(key)) {
        return String.valueOf(object.getValue(key));
      }
    }
    return null;
  }
}
