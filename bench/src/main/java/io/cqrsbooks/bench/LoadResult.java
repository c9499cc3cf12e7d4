package io.cqrsbooks.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/** Requests completed in a measured window, their latency distribution, and the failures. */
record LoadResult(String name, int concurrency, long requests, long failures, double seconds, Histogram latencyMicros) {

  double perSecond() {
    return requests / seconds;
  }

  double millis(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMillis() {
    return latencyMicros.getMaxValue() / 1000.0;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("concurrency", concurrency)
        .put("requests", requests)
        .put("failures", failures)
        .put("seconds", seconds)
        .put("perSecond", Math.round(perSecond()))
        .put("p50Millis", millis(50))
        .put("p99Millis", millis(99))
        .put("maxMillis", maxMillis());
  }
}
