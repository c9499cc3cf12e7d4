package io.cqrsbooks.system;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} on both sides, in Prometheus text, counts what happened: each assertion compares
 * a scrape before and after the requests, so the figures are this test's own.
 */
class MetricsTest extends SystemTest {

  @Test
  void theCommandSideCountsCommandsByOutcomeAndReportsTheRelayAndTheOutbox() {
    Scrape before = commandMetrics();
    String bid = String.valueOf(system.createBook(TestSystem.book("Metered", 10, 100)).bodyAsJsonObject().getLong("bid"));
    system.createBook(TestSystem.book("Metered 2", 10, 100));
    assertEquals(400, system.command(HttpMethod.POST, "/api/books", new JsonObject().put("title", "")).statusCode());
    assertEquals(401, system.command(HttpMethod.POST, "/api/books", TestSystem.book("x", 1, 1), "Authorization", "").statusCode());
    assertEquals(412, system.command(HttpMethod.PUT, "/api/books/" + bid, TestSystem.book("Metered", 11, 100),
        "If-Match", "\"7\"").statusCode());
    assertEquals(204, system.command(HttpMethod.DELETE, "/api/books/" + bid, null).statusCode());
    Scrape after = commandMetrics();

    assertEquals(2, delta(before, after, "cqrs_commands_total", "command", "create", "outcome", "accepted", "reason", "none"));
    assertEquals(1, delta(before, after, "cqrs_commands_total", "command", "create", "reason", "invalid"));
    assertEquals(1, delta(before, after, "cqrs_commands_total", "command", "create", "reason", "unauthenticated"));
    assertEquals(1, delta(before, after, "cqrs_commands_total", "command", "update", "outcome", "rejected",
        "reason", "version_changed"));
    assertEquals(1, delta(before, after, "cqrs_commands_total", "command", "delete", "outcome", "accepted"));
    // Vert.x's own HTTP server metrics, by method and status, with histogram buckets for a p99.
    assertEquals(2, delta(before, after, "vertx_http_server_requests_total", "method", "POST", "code", "201"), after::toString);
    assertTrue(after.has("vertx_http_server_response_time_seconds_bucket", "method", "POST", "code", "201",
        "route", "/api/books"),
        after::toString);
    // Its MySQL clients, each pool or connection under its own name: the commands' pool ran the statements.
    assertTrue(after.sum("vertx_sql_processing_time_seconds_count", "client_namespace", "cqrs-books-commands") >= 3,
        after::toString);
    assertTrue(after.has("vertx_sql_processing_pending", "client_namespace", "cqrs-books-relay-lease"), after::toString);

    assertEquals(1, after.sum("cqrs_relay_lease_held"), "this process holds the relay lease");
    assertEquals(1, after.sum("cqrs_relay_state", "state", "publishing"));
    assertEquals(0, after.sum("cqrs_relay_state", "state", "paused"));
    awaitTrue("the relay published the three events and the sampled backlog is empty", Duration.ofSeconds(20), () -> {
      Scrape now = commandMetrics();
      return delta(before, now, "cqrs_relay_events_published_total") >= 3
          && now.sum("cqrs_outbox_unpublished") == 0 && now.sum("cqrs_outbox_oldest_unpublished_age_seconds") == 0;
    });
  }

  @Test
  void theQuerySideCountsAppliedSkippedAndDeadLetteredEventsAndItsLagStreamsAndWaits() {
    Scrape before = settledQueryMetrics();
    SseClient stream = SseClient.open(system.vertx, system.queryPort, null);
    HttpResponse<Buffer> created = system.createBook(TestSystem.book("Watched", 10, 100));
    String token = created.getHeader("X-Consistency-Token");
    assertEquals(200, system.get("/api/books/" + created.bodyAsJsonObject().getLong("bid"), "X-Consistency-Token", token)
        .statusCode());
    awaitTrue("the change reached the stream", Duration.ofSeconds(10), () -> !stream.events().isEmpty());
    Scrape streaming = queryMetrics();
    assertEquals(1, streaming.sum("cqrs_sse_streams_open") - before.sum("cqrs_sse_streams_open"), streaming::toString);
    assertEquals(1, delta(before, streaming, "cqrs_consistency_waits_total", "outcome", "satisfied"));
    assertEquals(1, delta(before, streaming, "cqrs_events_applied_total"));
    assertEquals(1, delta(before, streaming, "cqrs_projection_latency_seconds_count"));
    assertEquals(1, delta(before, streaming, "cqrs_consumer_fetch_delay_seconds_count"), "the record's way from the relay to the consumer");
    assertEquals(1, delta(before, streaming, "cqrs_projection_batch_seconds_count"), "its batch's way from the poll to MongoDB");
    awaitTrue("its offsets committed and the commit timed", Duration.ofSeconds(10),
        () -> delta(before, queryMetrics(), "cqrs_consumer_commit_seconds_count") >= 1);
    assertTrue(streaming.matching("cqrs_projection_latency_seconds_bucket").size() > 10, "a histogram, for a p99");
    stream.close();

    // The same event again is skipped as old; a record that is no event is set aside.
    String event = system.topic().values().stream()
        .filter(value -> value.contains("\"Watched\"")).findFirst().orElseThrow();
    system.publishRaw(new JsonObject(event).getValue("bid").toString(), event);
    system.publishRaw("metrics-test", "not an event");
    awaitTrue("the replay skipped and the junk dead-lettered", Duration.ofSeconds(20), () -> {
      Scrape now = queryMetrics();
      return delta(before, now, "cqrs_events_skipped_total") == 1
          && delta(before, now, "cqrs_events_dead_lettered_total") == 1
          && delta(before, now, "cqrs_events_applied_total") == 1;
    });

    awaitTrue("lag per assigned partition, back to 0, and the read model's size as MongoDB counts it",
        Duration.ofSeconds(20), () -> {
          Scrape now = queryMetrics();
          long books = system.readModelBooks().size();
          return now.matching("cqrs_consumer_lag").size() == 3 && now.sum("cqrs_consumer_lag") == 0
              && now.sum("cqrs_consumer_partitions_assigned") == 3 && now.sum("cqrs_read_model_books") == books;
        }, () -> queryMetrics().toString());
  }

  /** A scrape once the query side has applied everything written so far (its count holds still for a second). */
  private static Scrape settledQueryMetrics() {
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
    Scrape[] last = {queryMetrics()};
    awaitTrue("the applied count settles", Duration.ofSeconds(20), () -> {
      Waits.sleep(1000);
      Scrape now = queryMetrics();
      boolean settled = now.sum("cqrs_events_applied_total") == last[0].sum("cqrs_events_applied_total");
      last[0] = now;
      return settled;
    });
    return last[0];
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static Scrape commandMetrics() {
    return scrape(system.commandPort);
  }

  private static Scrape queryMetrics() {
    return scrape(system.queryPort);
  }

  static Scrape scrape(int port) {
    HttpResponse<Buffer> response = system.send(HttpMethod.GET, port, "/metrics", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("Content-Type"),
        "Prometheus's text format, which its scraper negotiates");
    return Scrape.parse(response.bodyAsString());
  }
}
