package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One timer's histogram buckets as a process's {@code /metrics} shows them, and the difference between two
 * readings: how many of the events recorded in between fell at or under each bound, and the bounds that
 * hold the median and the 99th percentile (the histogram is coarse: 1-2.5-5 steps).
 */
final class LatencyBuckets {

  private final Map<Double, Double> cumulative;

  private LatencyBuckets(Map<Double, Double> cumulative) {
    this.cumulative = cumulative;
  }

  /** A process's {@code /metrics} page, read once for every timer taken from it ({@link #of}). */
  static Future<String> page(WebClient http, String baseUrl) {
    return http.getAbs(baseUrl + "/metrics").send().map(response -> response.bodyAsString());
  }

  /** @param tag a {@code name="value"} a series must carry to be read; empty: every series of the timer, summed */
  static LatencyBuckets of(String page, String timer, String tag) {
    Pattern line = Pattern.compile("^" + Pattern.quote(timer) + "_bucket\\{.*le=\"([^\"]+)\".*\\} ([0-9.eE+-]+)$");
    Map<Double, Double> buckets = new TreeMap<>();
    for (String text : page.split("\n")) {
      Matcher matcher = line.matcher(text);
      if (matcher.matches() && text.contains(tag)) {
        double bound = matcher.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.group(1));
        buckets.merge(bound, Double.parseDouble(matcher.group(2)), Double::sum);
      }
    }
    return new LatencyBuckets(buckets);
  }

  /** What was recorded after {@code earlier}: the count, and the bucket bounds (ms) of p50 and p99. */
  JsonObject since(LatencyBuckets earlier) {
    Map<Double, Double> delta = new TreeMap<>();
    cumulative.forEach((bound, count) -> delta.put(bound, count - earlier.cumulative.getOrDefault(bound, 0.0)));
    double total = delta.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    JsonObject result = new JsonObject().put("count", (long) total);
    JsonObject buckets = new JsonObject();
    delta.forEach((bound, count) -> buckets.put(bound.isInfinite() ? "+Inf" : String.valueOf(bound * 1000), count.longValue()));
    result.put("atMostMillis", buckets);
    result.put("p50AtMostMillis", bound(delta, total * 0.50)).put("p99AtMostMillis", bound(delta, total * 0.99));
    return result;
  }

  private static Object bound(Map<Double, Double> delta, double rank) {
    for (Map.Entry<Double, Double> bucket : delta.entrySet()) {
      if (bucket.getValue() >= rank && rank > 0) {
        return bucket.getKey().isInfinite() ? "+Inf" : bucket.getKey() * 1000;
      }
    }
    return null;
  }
}
