package io.cqrsbooks.system;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where {@code /metrics} is served: a management port of its own when {@code metrics.port} is set; nowhere when off. */
class MetricsPortTest {

  @Test
  void aManagementPortServesBothSidesMetricsAndTheApiPortsDoNot() throws Exception {
    int managementPort = freePort();
    try (TestSystem system = TestSystem.startAsOneProcess(config -> config.getJsonObject("metrics").put("port", managementPort))) {
      system.createBook(TestSystem.book("On the side", 10, 100));
      assertEquals(404, get(system, system.commandPort, "/metrics").statusCode());
      assertEquals(404, get(system, system.queryPort, "/metrics").statusCode());
      awaitTrue("one scrape holds the command and its projection", Duration.ofSeconds(20), () -> {
        HttpResponse<Buffer> response = get(system, managementPort, "/metrics");
        Scrape scrape = Scrape.parse(response.bodyAsString());
        return response.statusCode() == 200
            && scrape.sum("cqrs_commands_total", "command", "create", "outcome", "accepted") == 1
            && scrape.sum("cqrs_events_applied_total") == 1;
      });
      assertTrue(Scrape.parse(get(system, managementPort, "/metrics").bodyAsString())
          .has("vertx_http_server_requests_total", "method", "POST", "code", "201"));
    }
  }

  @Test
  void withMetricsOffNeitherSideServesThem() throws Exception {
    try (TestSystem system = TestSystem.start(config -> config.getJsonObject("metrics").put("enabled", false))) {
      system.createBook(TestSystem.book("Unmetered", 10, 100));
      assertEquals(404, get(system, system.commandPort, "/metrics").statusCode());
      assertEquals(404, get(system, system.queryPort, "/metrics").statusCode());
    }
  }

  private static HttpResponse<Buffer> get(TestSystem system, int port, String path) {
    return system.send(HttpMethod.GET, port, path, MultiMap.caseInsensitiveMultiMap(), null);
  }
}
