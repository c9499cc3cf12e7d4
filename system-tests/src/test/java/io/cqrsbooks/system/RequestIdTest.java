package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code X-Request-Id}: taken from the client when well-formed, made up otherwise, echoed by both sides,
 * and carried by a command into its outbox row and its event's Kafka header.
 */
class RequestIdTest extends SystemTest {

  @Test
  void aCommandsRequestIdTravelsIntoItsOutboxRowAndItsEventsKafkaHeader() {
    HttpResponse<Buffer> given = system.command(HttpMethod.POST, "/api/books", TestSystem.book("Traced", 10, 100),
        "X-Request-Id", "journey-42");
    assertEquals(201, given.statusCode(), given::bodyAsString);
    assertEquals("journey-42", given.getHeader("X-Request-Id"));

    HttpResponse<Buffer> made = system.createBook(TestSystem.book("Traced too", 10, 100));
    String madeId = made.getHeader("X-Request-Id");
    assertTrue(madeId != null && madeId.matches("[0-9a-f-]{36}"), "a request without an id is given one: " + madeId);

    HttpResponse<Buffer> refused = system.command(HttpMethod.POST, "/api/books", TestSystem.book("Traced three", 10, 100),
        "X-Request-Id", "not a token; " + "x".repeat(80));
    assertNotEquals(null, refused.getHeader("X-Request-Id"));
    assertTrue(refused.getHeader("X-Request-Id").matches("[0-9a-f-]{36}"), "a malformed id is replaced, not echoed");

    Map<Long, String> rows = requestIdsByBid();
    assertEquals("journey-42", rows.get(given.bodyAsJsonObject().getLong("bid")));
    assertEquals(madeId, rows.get(made.bodyAsJsonObject().getLong("bid")));

    awaitTrue("the events on the topic carry the request ids", Duration.ofSeconds(20), () -> {
      Map<String, String> headers = system.topic().requestIdsByEventId();
      return headers.containsValue("journey-42") && headers.containsValue(madeId);
    });
  }

  @Test
  void theQuerySideEchoesTheRequestIdToo() {
    assertEquals("query-7", system.get("/api/books?limit=1", "X-Request-Id", "query-7").getHeader("X-Request-Id"));
    assertTrue(system.get("/health").getHeader("X-Request-Id").matches("[0-9a-f-]{36}"));
  }

  private static Map<Long, String> requestIdsByBid() {
    Map<Long, String> ids = new java.util.HashMap<>();
    for (Row row : await(system.mysql().preparedQuery("SELECT bid, request_id FROM outbox WHERE event_type = ?")
        .execute(Tuple.of("BookCreated")))) {
      ids.put(row.getLong("bid"), row.getString("request_id"));
    }
    return ids;
  }
}
