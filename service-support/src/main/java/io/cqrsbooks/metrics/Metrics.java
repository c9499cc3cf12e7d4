package io.cqrsbooks.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One process's meters: a Prometheus registry when metrics are on, a registry that records nothing when
 * they are off, so the code that counts never asks which. Vert.x reports its HTTP servers into the same
 * registry (requests by route, method and status). Every timer gets histogram buckets from 1 ms to 10 s.
 */
public final class Metrics {

  /** The Prometheus text format, as Vert.x's scraping handler answers it. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final MetricsSettings settings;
  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;

  private Metrics(MetricsSettings settings, MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.settings = settings;
    this.registry = registry;
    this.prometheus = prometheus;
  }

  public static Metrics create(MetricsSettings settings) {
    if (!settings.enabled()) {
      return disabled();
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Recorded on every request, asked for by nobody: byte sizes and counts. Denied meters record nothing.
    prometheus.config().meterFilter(MeterFilter.deny(id -> UNREAD_HTTP_METERS.contains(id.getName())));
    prometheus.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        // Every timer here measures a latency (HTTP responses, SQL, projection): histogram buckets let a p99
        // be computed across processes.
        return id.getType() == Meter.Type.TIMER ? latencyHistogram().merge(config) : config;
      }
    });
    return new Metrics(settings, prometheus, prometheus);
  }

  /** Records nothing and serves no endpoint: for metrics turned off, and for tests of one verticle. */
  public static Metrics disabled() {
    return new Metrics(new MetricsSettings(false, 0), new CompositeMeterRegistry(), null);
  }

  /**
   * Thirteen histogram buckets from 1 ms to 10 s (1-2.5-5 steps): the range a request or an event's trip
   * falls in, fine enough for a p99 across processes, and cheap to record (Micrometer's own percentile
   * histogram for that range has 61 buckets).
   */
  private static DistributionStatisticConfig latencyHistogram() {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .build();
  }

  private static final double[] LATENCY_BUCKETS = Stream.of(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
      .mapToDouble(millis -> millis.doubleValue() * 1_000_000).toArray();
  private static final Set<String> UNREAD_HTTP_METERS = Set.of("vertx.http.server.request.bytes",
      "vertx.http.server.response.bytes", "vertx.http.server.bytes.read", "vertx.http.server.bytes.written");

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * A Vert.x instance that reports its HTTP servers into this registry (a plain one when metrics are off). Its
   * event loops use Linux's epoll where Netty's native library loads, Java NIO elsewhere.
   */
  public Vertx newVertx() {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    if (prometheus == null) {
      return Vertx.vertx(options);
    }
    MicrometerMetricsOptions httpServerMetrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.NAMESPACE));
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (domain != MetricsDomain.HTTP_SERVER) {
        httpServerMetrics.addDisabledMetricsCategory(domain);
      }
    }
    return Vertx.builder()
        .with(options.setMetricsOptions(httpServerMetrics))
        .withMetrics(new MicrometerMetricsFactory(prometheus))
        .build();
  }

  /** Adds {@code GET /metrics} to an API's router, when metrics are served on the API ports. */
  public void exposeOn(Router router) {
    if (settings.onApiPorts()) {
      router.get("/metrics").handler(this::scrape);
    }
  }

  /**
   * One scrape, rendered on a worker thread. Rendering every meter takes milliseconds of CPU (tens of them on a
   * busy process, where code run once every scrape is never compiled), and on the event loop, as Vert.x's own
   * scraping handler renders it, every request and SSE stream of that loop would wait for it at each scrape.
   * Meters are read concurrently with their updates, as Micrometer allows. Scrapes do not wait for each other.
   */
  private void scrape(RoutingContext ctx) {
    ctx.vertx().executeBlocking(prometheus::scrape, false)
        .onSuccess(page -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(page))
        .onFailure(ctx::fail);
  }

  /** When a management port is configured: a server of its own for {@code GET /metrics}. */
  public Future<HttpServer> listenOnOwnPort(Vertx vertx) {
    if (!settings.onOwnPort()) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::scrape);
    return vertx.createHttpServer().requestHandler(router).listen(settings.port())
        .recover(failure -> Future.failedFuture(new IllegalStateException("metrics cannot listen on port "
            + settings.port() + " (set CQRS_METRICS_PORT to another port): " + failure.getMessage())));
  }
}
