package io.cqrsbooks.bench;

import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The native HTTP load generator (Debian's {@code wrk}): a closed loop of {@code concurrency} connections
 * on one thread, far cheaper per request than a JVM client, so more of the shared cores go to the system
 * under test. Requests come from a Lua script; its {@code done} hook prints the figures as one JSON line.
 */
final class Wrk {

  private static final String RESULT_PREFIX = "WRK_RESULT ";
  private static final String REPORT = """

      done = function(summary, latency, requests)
        local e = summary.errors
        io.write(string.format('%s{"requests":%d,"durationMicros":%d,"failures":%d,'
          .. '"p50Micros":%d,"p99Micros":%d,"maxMicros":%d}\\n', "WRK_RESULT ",
          summary.requests, summary.duration, e.status + e.connect + e.read + e.write + e.timeout,
          latency:percentile(50), latency:percentile(99), latency.max))
      end
      """;

  private final String executable;

  private Wrk(String executable) {
    this.executable = executable;
  }

  /** {@code wrk} from the PATH (or the given path); empty when it is not installed or {@code none} is asked for. */
  static Optional<Wrk> find(String setting) {
    if ("none".equals(setting)) {
      return Optional.empty();
    }
    if (setting.contains("/")) {
      return Files.isExecutable(Path.of(setting)) ? Optional.of(new Wrk(setting)) : Optional.empty();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, setting))) {
        return Optional.of(new Wrk(Path.of(dir, setting).toString()));
      }
    }
    return Optional.empty();
  }

  /** Runs {@code script} (Lua defining {@code request}) against {@code url} for {@code duration}. */
  LoadResult run(String name, int concurrency, Duration duration, String url, String script) throws Exception {
    Path file = Files.createTempFile("cqrs-books-wrk", ".lua");
    try {
      Files.writeString(file, script + REPORT);
      Process process = new ProcessBuilder(executable, "-t1", "-c" + concurrency, "-d" + duration.toSeconds() + "s",
          "--timeout", "10s", "-s", file.toString(), url).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("wrk failed: " + output);
      }
      JsonObject result = output.lines().filter(line -> line.startsWith(RESULT_PREFIX)).findFirst()
          .map(line -> new JsonObject(line.substring(RESULT_PREFIX.length())))
          .orElseThrow(() -> new IllegalStateException("wrk printed no result: " + output));
      return new LoadResult(name, "wrk", concurrency, result.getLong("requests"), result.getLong("failures"),
          result.getLong("durationMicros") / 1e6, result.getLong("p50Micros") / 1000.0,
          result.getLong("p99Micros") / 1000.0, result.getLong("maxMicros") / 1000.0, null);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** POSTs of random valid books, like {@link Bench#book()}, with a bearer token. */
  static String postBooks(String authorization, long seed) {
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "%s"
        math.randomseed(%d)
        request = function()
          local body = string.format('{"title":"Benchmark book %%d","author":"Author %%d","category":"category-%%d",'
            .. '"pages":%%d,"price":%%d,"publishedDate":"2019-0%%d-1%%d","description":"A book written to be stored,'
            .. ' published, projected and read back as fast as possible."}',
            math.random(0, 999999), math.random(0, 9999), math.random(0, 19), math.random(1, 2000),
            math.random(0, 99999), math.random(1, 9), math.random(0, 9))
          return wrk.format(nil, "/api/books", nil, body)
        end
        """.formatted(authorization, seed);
  }

  /** GETs of books picked at random from {@code bids}, written to a file the script reads. */
  static String getBooks(List<Long> bids, Path bidsFile, long seed) throws IOException {
    Files.write(bidsFile, bids.stream().map(String::valueOf).toList());
    return """
        local bids = {}
        for line in io.lines("%s") do bids[#bids + 1] = line end
        math.randomseed(%d)
        request = function()
          return wrk.format("GET", "/api/books/" .. bids[math.random(#bids)])
        end
        """.formatted(bidsFile, seed);
  }
}
