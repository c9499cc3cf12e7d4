package io.cqrsbooks.metrics;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} as a Prometheus server scrapes it, rendered where it holds up no request. */
@ExtendWith(VertxExtension.class)
class MetricsScrapeTest {

  @Test
  void aScrapeIsRenderedOnAWorkerThreadNotTheEventLoopThatServesRequests(Vertx vertx, VertxTestContext test) {
    Metrics metrics = Metrics.create(new MetricsSettings(true, 0));
    AtomicReference<String> readOn = new AtomicReference<>();
    Gauge.builder("cqrs.test.read", () -> {
      readOn.set(Thread.currentThread().getName());
      return 7;
    }).register(metrics.registry());
    Router router = Router.router(vertx);
    metrics.exposeOn(router);

    vertx.createHttpServer().requestHandler(router).listen(0)
        .compose(server -> vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/metrics"))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Scraped(response, body.toString())))
        .onComplete(test.succeeding(scraped -> test.verify(() -> {
          assertEquals(200, scraped.response().statusCode());
          assertEquals("text/plain; version=0.0.4; charset=utf-8", scraped.response().getHeader("Content-Type"));
          assertTrue(scraped.page().contains("cqrs_test_read 7.0"), scraped.page());
          assertTrue(readOn.get().startsWith("vert.x-worker-thread"), "the meters were read on " + readOn.get());
          test.completeNow();
        })));
  }

  private record Scraped(HttpClientResponse response, String page) {
  }
}
