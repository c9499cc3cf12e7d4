package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes at a steady rate and measures, for each created book, the time from the POST's response to
 * the change arriving on the query side's SSE stream. Books that never arrive are counted.
 */
final class PropagationRun {

  private static final long GRACE_MILLIS = 10_000;

  private final Vertx vertx;
  private final WebClient http;
  private final String commandUrl;
  private final String authorization;
  private final URI queryUri;
  private final Map<Long, Long> answeredAt = new HashMap<>();
  private final Map<Long, Long> arrivedAt = new HashMap<>();
  private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
  private final StringBuilder pending = new StringBuilder();
  private long sent;
  private long accepted;
  private long failed;

  PropagationRun(Vertx vertx, WebClient http, String commandUrl, String queryUrl, String authorization) {
    this.vertx = vertx;
    this.authorization = authorization;
    this.http = http;
    this.commandUrl = commandUrl;
    this.queryUri = URI.create(queryUrl);
  }

  Future<JsonObject> run(double ratePerSecond, Duration duration) {
    Promise<JsonObject> done = Promise.promise();
    vertx.runOnContext(start -> {
      HttpClient sse = vertx.createHttpClient();
      sse.request(HttpMethod.GET, queryUri.getPort(), queryUri.getHost(), "/api/books/changes")
          .compose(request -> request.send())
          .onSuccess(stream -> {
            stream.handler(chunk -> onChunk(chunk.toString()));
            long begin = System.nanoTime();
            long end = begin + duration.toNanos();
            long timer = vertx.setPeriodic(2, tick -> {
              long now = System.nanoTime();
              long due = (long) ((Math.min(now, end) - begin) / 1e9 * ratePerSecond);
              while (sent < due) {
                send();
              }
            });
            vertx.setTimer(duration.toMillis() + GRACE_MILLIS, stop -> {
              vertx.cancelTimer(timer);
              sse.close();
              done.complete(report(ratePerSecond));
            });
          })
          .onFailure(done::fail);
    });
    return done.future();
  }

  private void send() {
    sent++;
    http.postAbs(commandUrl + "/api/books").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", authorization).sendBuffer(Bench.book())
        .onSuccess(response -> {
          if (response.statusCode() != 201) {
            failed++;
            return;
          }
          accepted++;
          pair(response.bodyAsJsonObject().getLong("bid"), System.nanoTime(), answeredAt, arrivedAt, false);
        })
        .onFailure(failure -> failed++);
  }

  private void onChunk(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      int data = frame.indexOf("data: ");
      if (data < 0) {
        continue;
      }
      JsonObject change = new JsonObject(frame.substring(data + 6));
      if (!"BookCreated".equals(change.getString("type"))) {
        continue;
      }
      pair(change.getLong("bid"), System.nanoTime(), arrivedAt, answeredAt, true);
    }
  }

  /**
   * Records one side (the POST's response or the SSE arrival) of a book's journey; when the other side
   * is already known, records the latency from response to arrival. A change that overtakes its own
   * response (visible before the client knew) counts as 1 microsecond.
   */
  private void pair(long bid, long now, Map<Long, Long> thisSide, Map<Long, Long> otherSide, boolean isArrival) {
    Long other = otherSide.remove(bid);
    if (other == null) {
      thisSide.put(bid, now);
      return;
    }
    long arrival = isArrival ? now : other;
    long answer = isArrival ? other : now;
    latencyMicros.recordValue(Math.max(1, (arrival - answer) / 1000));
  }

  private JsonObject report(double rate) {
    long arrived = latencyMicros.getTotalCount();
    System.out.printf("propagation at %5.0f writes/s: sent %d, accepted %d, arrived %d, never arrived %d;"
            + " p50 %.2f ms p95 %.2f ms p99 %.2f ms max %.2f ms%n",
        rate, sent, accepted, arrived, answeredAt.size(), ms(50), ms(95), ms(99), latencyMicros.getMaxValue() / 1000.0);
    return new JsonObject()
        .put("ratePerSecond", rate)
        .put("sent", sent)
        .put("accepted", accepted)
        .put("failedCommands", failed)
        .put("arrived", arrived)
        .put("neverArrived", answeredAt.size())
        .put("p50Millis", ms(50))
        .put("p95Millis", ms(95))
        .put("p99Millis", ms(99))
        .put("maxMillis", latencyMicros.getMaxValue() / 1000.0);
  }

  private double ms(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }
}
