package io.cqrsbooks.command;

import io.cqrsbooks.config.Config;
import io.cqrsbooks.embedded.FreePorts;
import io.cqrsbooks.http.ApiDocument;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.metrics.MetricsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command API's OpenAPI document names every route the router serves, and nothing it does not. */
@ExtendWith(VertxExtension.class)
class CommandApiDocumentTest {

  @Test
  void everyRouteIsInTheApiDocumentAndEveryDocumentedOperationIsServed(Vertx vertx) throws Exception {
    int port = FreePorts.pick();
    JsonObject config = new JsonObject(Files.readString(Path.of("../conf/cqrs-books.json")));
    config.getJsonObject("command").put("httpPort", port);
    config.getJsonObject("auth").put("jwtSecret", "a-secret-for-the-api-document-test-0123456789");
    CommandSettings settings = CommandSettings.from(new Config(config));
    RelayStatus relay = new RelayStatus(Duration.ofSeconds(5));
    Metrics metrics = Metrics.create(new MetricsSettings(true, 0));
    // No MySQL is needed: the pool connects on first use, and nothing here uses it.
    CommandApiVerticle api = new CommandApiVerticle(settings, relay, new CommandMetrics(metrics.registry(), relay), metrics);
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);

    JsonObject document = ApiDocument.load(CommandApiVerticle.API_DOCUMENT);
    assertEquals(List.of(), ApiDocument.mismatches(api.router(), document, Set.of()));
    JsonObject served = vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", ApiDocument.PATH)
        .compose(request -> request.send()).compose(response -> response.body())
        .await(10, TimeUnit.SECONDS).toJsonObject();
    assertEquals(document, served, "GET /openapi.json serves the document, shared components merged in");
    assertEquals("3.1.0", served.getString("openapi"));
  }
}
