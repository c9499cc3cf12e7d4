package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes at a steady rate (round-robin over the command URLs) and measures, for each created book and each
 * open SSE stream, the time from the POST's response to the change arriving on that stream. A change that
 * overtakes its own response counts as 1 microsecond; a (book, stream) pair that never arrives is counted.
 */
final class PropagationRun {

  private static final long GRACE_MILLIS = 10_000;
  private static final long SLOW_MICROS = 50_000;
  /**
   * Slow arrivals kept one by one, per tally: a thousand streams make hundreds of thousands of them a
   * second's worth of warm-up (all of them kept ran a 2 GB heap out).
   */
  private static final int SLOW_KEPT = 20_000;
  private static final byte[] CREATED = "\"type\":\"BookCreated\",\"bid\":".getBytes(StandardCharsets.US_ASCII);

  private final Vertx vertx;
  private final WebClient http;
  private final List<String> commandUrls;
  private final List<URI> streams;
  private final String authorization;
  /** Each write's answer (when its POST was answered, and the tally it counts in), warm-up writes included. */
  private final Map<Long, Answer> answers = new HashMap<>();
  /** Arrivals per book, on any stream; arrivals before the answer wait here as a count. */
  private final Map<Long, Integer> arrivals = new HashMap<>();
  private final Map<Long, Integer> early = new HashMap<>();
  /**
   * The warm-up's writes, counted and timed exactly as the window's and not reported, so that the window
   * runs no code this JVM has not compiled yet. (Timed only in the window, the timing path took 8% of a
   * core there for its JIT, and the branches first taken at its start deoptimized what was compiled.)
   */
  private final Tally warmUpTally = new Tally();
  /** The measured window's writes: the only ones reported. */
  private final Tally windowTally = new Tally();
  private long begin;
  private final List<HttpClient> clients = new ArrayList<>();
  private final Promise<Void> timing = Promise.promise();
  /** Every write sent, warm-up included (it paces the rate). */
  private long sent;
  private int opened;

  /** @param streams one SSE stream is opened per entry (repeat a URL for several streams on one process) */
  PropagationRun(Vertx vertx, WebClient http, List<String> commandUrls, List<String> streams, String authorization) {
    this.vertx = vertx;
    this.authorization = authorization;
    this.http = http;
    this.commandUrls = commandUrls;
    this.streams = streams.stream().map(URI::create).toList();
  }

  Future<JsonObject> run(double ratePerSecond, Duration duration) {
    return open().compose(all -> measure(ratePerSecond, duration));
  }

  /** Opens every stream; {@link #measure} then writes and times the arrivals. */
  Future<Void> open() {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(start -> openStreams().onComplete(done));
    return done.future();
  }

  Future<JsonObject> measure(double ratePerSecond, Duration duration) {
    return measure(ratePerSecond, Duration.ZERO, duration);
  }

  /**
   * Writes for {@code warmUp} and then, without a pause, for {@code duration}: only the writes of the second
   * part are timed and reported. A warm-up that ended, waited for its stragglers and started again would
   * measure a system that has just idled for seconds, not one under steady load.
   */
  Future<JsonObject> measure(double ratePerSecond, Duration warmUp, Duration duration) {
    Promise<JsonObject> done = Promise.promise();
    vertx.runOnContext(start -> {
      long first = System.nanoTime();
      begin = first + warmUp.toNanos();
      long end = begin + duration.toNanos();
      vertx.setTimer(Math.max(1, warmUp.toMillis()), measuring -> timing.tryComplete());
      long timer = vertx.setPeriodic(2, tick -> {
        long now = System.nanoTime();
        long due = (long) ((Math.min(now, end) - first) / 1e9 * ratePerSecond);
        while (sent < due) {
          send(now >= begin ? windowTally : warmUpTally);
        }
      });
      vertx.setTimer(warmUp.plus(duration).toMillis() + GRACE_MILLIS, stop -> {
        vertx.cancelTimer(timer);
        synchronized (this) {
          clients.forEach(HttpClient::close);
          done.complete(report(ratePerSecond));
        }
      });
    });
    return done.future();
  }

  /** Completes when the timed part of {@link #measure} begins. */
  Future<Void> timed() {
    return timing.future();
  }

  /**
   * Streams spread over a few clients, each deployed on an event loop of its own, so that reading a
   * thousand streams is not one thread's work while the system under test has two cores.
   */
  private Future<Void> openStreams() {
    List<Future<?>> all = new ArrayList<>();
    int perClient = 250;
    for (int from = 0; from < streams.size(); from += perClient) {
      List<URI> group = streams.subList(from, Math.min(streams.size(), from + perClient));
      all.add(vertx.deployVerticle(new StreamGroup(group, from)));
    }
    return Future.all(all).mapEmpty();
  }

  /** One HTTP client and its streams, on the event loop it is deployed on. */
  private final class StreamGroup extends VerticleBase {
    private final List<URI> group;
    private final int firstStream;

    /** @param firstStream the index, in the run's streams, of the group's first */
    StreamGroup(List<URI> group, int firstStream) {
      this.group = group;
      this.firstStream = firstStream;
    }

    @Override
    public Future<?> start() {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(group.size()));
      synchronized (PropagationRun.this) {
        clients.add(client);
      }
      List<Future<Void>> opening = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        URI uri = group.get(i);
        FrameScanner scanner = new FrameScanner(firstStream + i);
        opening.add(client.request(HttpMethod.GET, uri.getPort(), uri.getHost(), "/api/books/changes")
            .compose(request -> request.send())
            .map(stream -> {
              stream.handler(chunk -> scanner.scan(chunk.getBytes()));
              synchronized (PropagationRun.this) {
                opened++;
              }
              return null;
            }));
      }
      return Future.all(opening);
    }
  }

  /** An arrival slower than 50 ms: its book, its stream, the tenth of a second its POST was answered in. */
  record SlowArrival(long bid, int stream, long tenth, double millis) {
  }

  /** The timed arrivals slower than 50 ms (the first 20,000), once {@link #measure} is done. */
  synchronized List<SlowArrival> slowArrivals() {
    return List.copyOf(windowTally.slow);
  }

  synchronized int openedStreams() {
    return opened;
  }

  /** One write, counted and its arrivals timed in {@code tally}. */
  private void send(Tally tally) {
    String commandUrl = commandUrls.get((int) (sent % commandUrls.size()));
    sent++;
    tally.sent++;
    http.postAbs(commandUrl + "/api/books").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", authorization).sendBuffer(Bench.book())
        .onSuccess(response -> {
          if (response.statusCode() != 201) {
            tally.failed("HTTP " + response.statusCode() + " " + response.bodyAsString());
            return;
          }
          tally.accepted++;
          answered(response.bodyAsJsonObject().getLong("bid"), System.nanoTime(), tally);
        })
        .onFailure(failure -> tally.failed(failure.toString()));
  }

  /**
   * One stream's frames, scanned as bytes for the creation's bid only: with a thousand streams on the same
   * two cores as the system, decoding text or parsing JSON would make the load generator the bottleneck.
   * A frame cut between two chunks is kept until its end arrives.
   */
  private final class FrameScanner {
    private final int stream;
    private byte[] pending = new byte[0];

    /** @param stream the stream's index in the run's list */
    FrameScanner(int stream) {
      this.stream = stream;
    }

    void scan(byte[] chunk) {
      byte[] bytes = pending.length == 0 ? chunk : concat(pending, chunk);
      int start = 0;
      int end;
      while ((end = indexOf(bytes, FRAME_END, start, bytes.length)) >= 0) {
        int at = indexOf(bytes, CREATED, start, end);
        if (at >= 0) {
          long bid = 0;
          for (int i = at + CREATED.length; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            bid = bid * 10 + (bytes[i] - '0');
          }
          arrived(bid, stream);
        }
        start = end + FRAME_END.length;
      }
      pending = Arrays.copyOfRange(bytes, start, bytes.length);
    }
  }

  private static final byte[] FRAME_END = {'\n', '\n'};

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** Where {@code pattern} starts in {@code bytes[from, to)}, or -1. */
  private static int indexOf(byte[] bytes, byte[] pattern, int from, int to) {
    outer:
    for (int i = from; i <= to - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A write's answer: when its POST was answered, and the tally its arrivals count in. */
  private record Answer(long at, Tally tally) {
  }

  private synchronized void answered(long bid, long at, Tally tally) {
    answers.put(bid, new Answer(at, tally));
    Integer overtook = early.remove(bid);
    for (int i = 0; overtook != null && i < overtook; i++) {
      tally.latencyMicros.recordValue(1);
    }
  }

  /**
   * Called on each stream's own event loop: the state it shares with the writer is guarded by this object,
   * and the arrival is timed before waiting for it.
   */
  private void arrived(long bid, int stream) {
    long now = System.nanoTime();
    synchronized (this) {
      arrivals.merge(bid, 1, Integer::sum);
      Answer answer = answers.get(bid);
      if (answer == null) {
        early.merge(bid, 1, Integer::sum);
      } else {
        answer.tally().arrived(bid, stream, answer.at(), now);
      }
    }
  }

  /** Writes and their arrivals, for one part of the run (the warm-up or the measured window). */
  private final class Tally {
    final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    /** Arrivals slower than {@link #SLOW_MICROS}, by the tenth of a second of the window their POST was answered in. */
    final Map<Long, Integer> slowByTenth = new TreeMap<>();
    /** The first {@link #SLOW_KEPT} of them, each with its book and stream. */
    final List<SlowArrival> slow = new ArrayList<>();
    long sent;
    long accepted;
    long failed;
    /** Why commands failed, with how many failed so (the first few distinct reasons). */
    final Map<String, Integer> failures = new TreeMap<>();

    void failed(String reason) {
      failed++;
      if (failures.size() < 10 || failures.containsKey(reason)) {
        failures.merge(reason, 1, Integer::sum);
      }
    }

    void arrived(long bid, int stream, long answer, long now) {
      long micros = Math.max(1, (now - answer) / 1000);
      latencyMicros.recordValue(micros);
      if (micros > SLOW_MICROS) {
        long tenth = (answer - begin) / 100_000_000L;
        slowByTenth.merge(tenth, 1, Integer::sum);
        if (slow.size() < SLOW_KEPT) {
          slow.add(new SlowArrival(bid, stream, tenth, micros / 1000.0));
        }
      }
    }
  }

  private JsonObject report(double rate) {
    List<Long> timed = answers.entrySet().stream().filter(answer -> answer.getValue().tally() == windowTally)
        .map(Map.Entry::getKey).toList();
    long expected = (long) timed.size() * streams.size();
    long arrived = timed.stream().mapToLong(bid -> arrivals.getOrDefault(bid, 0)).sum();
    long duplicates = timed.stream().filter(bid -> arrivals.getOrDefault(bid, 0) > streams.size()).count();
    System.out.printf("propagation at %5.0f writes/s over %d command process(es) to %d stream(s): sent %d, accepted %d,"
            + " arrivals %d of %d, missing %d, books seen more than once per stream %d;"
            + " p50 %.2f ms p95 %.2f ms p99 %.2f ms max %.2f ms%n",
        rate, commandUrls.size(), streams.size(), windowTally.sent, windowTally.accepted, arrived, expected, expected - arrived, duplicates,
        ms(50), ms(95), ms(99), windowTally.latencyMicros.getMaxValue() / 1000.0);
    // When the slow arrivals' POSTs were answered: spread out, or bunched into a few stalls.
    StringBuilder bunches = new StringBuilder();
    windowTally.slowByTenth.entrySet().stream().limit(200)
        .forEach(slow -> bunches.append(String.format(" %.1fs:%d", slow.getKey() / 10.0, slow.getValue())));
    if (windowTally.slowByTenth.size() > 200) {
      bunches.append(" ... (").append(windowTally.slowByTenth.size() - 200).append(" more tenths)");
    }
    if (windowTally.failed > 0) {
      System.out.println("commands that failed, by reason: " + windowTally.failures);
    }
    System.out.printf("arrivals over %d ms by the tenth of a second their POST was answered in (s into the run:count):%s%n",
        SLOW_MICROS / 1000, bunches);
    return new JsonObject()
        .put("ratePerSecond", rate)
        .put("commandProcesses", commandUrls.size())
        .put("streams", streams.size())
        .put("sent", windowTally.sent)
        .put("accepted", windowTally.accepted)
        .put("failedCommands", windowTally.failed)
        .put("failures", new JsonObject(new HashMap<String, Object>(windowTally.failures)))
        .put("arrivals", arrived)
        .put("expectedArrivals", expected)
        .put("neverArrived", expected - arrived)
        .put("p50Millis", ms(50))
        .put("p95Millis", ms(95))
        .put("p99Millis", ms(99))
        .put("maxMillis", windowTally.latencyMicros.getMaxValue() / 1000.0);
  }

  private double ms(double percentile) {
    return windowTally.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }
}
