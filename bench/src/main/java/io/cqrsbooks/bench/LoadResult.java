package io.cqrsbooks.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Requests completed in a measured window, their latency, the failures, which load generator drove
 * them, and (when known) the CPU they cost each process.
 */
record LoadResult(String name, String generator, int concurrency, long requests, long failures, double seconds,
                  double p50Millis, double p99Millis, double maxMillis, JsonObject cpu) {

  static LoadResult of(String name, int concurrency, long requests, long failures, double seconds,
                       Histogram latencyMicros) {
    return new LoadResult(name, "vertx-webclient", concurrency, requests, failures, seconds,
        latencyMicros.getValueAtPercentile(50) / 1000.0, latencyMicros.getValueAtPercentile(99) / 1000.0,
        latencyMicros.getMaxValue() / 1000.0, null);
  }

  double perSecond() {
    return requests / seconds;
  }

  LoadResult withGenerator(String client) {
    return new LoadResult(name, client, concurrency, requests, failures, seconds, p50Millis, p99Millis, maxMillis, cpu);
  }

  LoadResult withCpu(JsonObject measured) {
    return new LoadResult(name, generator, concurrency, requests, failures, seconds, p50Millis, p99Millis, maxMillis,
        measured);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("generator", generator)
        .put("concurrency", concurrency)
        .put("requests", requests)
        .put("failures", failures)
        .put("seconds", seconds)
        .put("perSecond", Math.round(perSecond()))
        .put("p50Millis", p50Millis)
        .put("p99Millis", p99Millis)
        .put("maxMillis", maxMillis)
        .put("cpu", cpu);
  }
}
