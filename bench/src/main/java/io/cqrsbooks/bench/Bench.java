package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark driver. {@code load}: command, query and propagation figures beside the raw MySQL and
 * MongoDB limits measured in the same run. {@code fill N}: tops MySQL up to N books for the bootstrap
 * measurement. {@code drop DB}: drops a MongoDB database. Settings come as key=value arguments.
 */
public final class Bench {

  private final Map<String, String> settings;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient http;
  private final Pool mysql;
  private final MongoClient mongo;
  private final ClosedLoop loop = new ClosedLoop(vertx);
  private final Duration warmUp;
  private final Duration measured;
  /** The same load, in this JVM, before a cluster-propagation or fan-out window ({@code warmUpLoadSeconds}). */
  private final Duration warmUpLoad;
  private final Duration maxWarmUp;
  private final Optional<Wrk> wrk;
  private final CpuMeter cpu;
  private String authorization;

  private Bench(Map<String, String> settings) {
    this.settings = settings;
    // Pooled connections are dropped after 30 s unused, before the servers' idle timeout (60 s) would close them
    // under a request.
    http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(128));
    mysql = MySQLBuilder.pool()
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(Integer.parseInt(setting("mysqlPoolSize", "8"))))
        .connectingTo(new MySQLConnectOptions().setHost("127.0.0.1").setPort(Integer.parseInt(setting("mysqlPort", "13306")))
            .setDatabase("cqrs_books").setUser("root").setCachePreparedStatements(true))
        .using(vertx).build();
    mongo = MongoClient.createShared(vertx, new JsonObject()
        .put("connection_string", setting("mongo", "mongodb://127.0.0.1:17017"))
        .put("db_name", setting("database", "cqrs_books")));
    warmUp = Duration.ofSeconds(Long.parseLong(setting("warmUpSeconds", "5")));
    measured = Duration.ofSeconds(Long.parseLong(setting("seconds", "10")));
    warmUpLoad = Duration.ofSeconds(Long.parseLong(setting("warmUpLoadSeconds", "0")));
    maxWarmUp = Duration.ofSeconds(Long.parseLong(setting("maxWarmUpSeconds", "60")));
    wrk = Wrk.find(setting("wrk", "wrk"));
    Map<String, Long> pids = new LinkedHashMap<>();
    if (settings.containsKey("systemPid")) {
      pids.put("system JVM", Long.parseLong(settings.get("systemPid")));
    }
    if (settings.containsKey("mariadbPid")) {
      pids.put("mariadbd", Long.parseLong(settings.get("mariadbPid")));
    }
    cpu = new CpuMeter(pids, Integer.parseInt(setting("clockTicks", "100")));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>();
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        settings.put(arg.substring(0, eq), arg.substring(eq + 1));
      } else {
        words.add(arg);
      }
    }
    Bench bench = new Bench(settings);
    try {
      switch (words.isEmpty() ? "load" : words.get(0)) {
        case "load" -> bench.load();
        case "fill" -> bench.fill(Long.parseLong(words.get(1)));
        case "commands" -> bench.commandsOnly();
        case "cluster-propagation" -> bench.clusterPropagation();
        case "fanout" -> bench.fanOut();
        case "failover-gap" -> bench.failoverGap(Long.parseLong(words.get(1)));
        case "queries" -> bench.queriesOnly();
        case "pages" -> bench.listPages();
        case "drop" -> await(bench.mongo.runCommand("dropDatabase", new JsonObject().put("dropDatabase", 1)), 60);
        case "createdb" -> await(bench.mysql.query("CREATE DATABASE IF NOT EXISTS `" + words.get(1) + "`").execute(), 60);
        default -> throw new IllegalArgumentException("usage: Bench [load|commands|queries|fill N|drop|createdb NAME] key=value...");
      }
    } finally {
      bench.vertx.close();
    }
  }

  private String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  // --- Several processes (bench/cluster.sh) ---------------------------------------------------------

  /** Writes at {@code rate} through every {@code command} URL and times arrivals on every {@code query} URL's stream. */
  private void clusterPropagation() throws Exception {
    authorization = "Bearer " + setting("token", "");
    List<String> queries = List.of(setting("query", "").split(","));
    List<String> commands = List.of(setting("command", "").split(","));
    PropagationRun run = new PropagationRun(vertx, http, commands, queries, authorization);
    await(run.open(), 120);
    // Where the time goes: each query process's own records of the read side's stages, read before and after
    // the window. Not at its start: a read of /metrics stalled the whole pipeline for a few tenths of a second
    // here (its rendering runs twice a run, so it is never compiled), which put a bunch of slow arrivals at
    // the window's start; read STAGES_LEAD earlier, the stall falls into the warm-up. (With six reads a
    // process 5 s ahead, the machine still had no idle CPU for the 2 s after them, and again from 2 s before
    // the window into its first 2 s: now one read a process, 15 s ahead.)
    Future<JsonObject> result = warmThenMeasure(run, STAGES_LEAD);
    List<Map<String, LatencyBuckets>> before = readSideStages(queries);
    await(run.timed(), STAGES_LEAD.toSeconds() + 60);
    LocalDateTime started = LocalDateTime.now(ZoneOffset.UTC);
    System.out.printf("measuring for %d s from %s UTC%n", measured.toSeconds(), started);
    long scrapeAt = Long.parseLong(setting("scrapeAtSeconds", "-1"));
    if (scrapeAt >= 0) {
      // A probe: the same /metrics reads the bench makes at the window's start, once more inside it.
      Thread.sleep(scrapeAt * 1000);
      readSideStages(queries);
      System.out.printf("read every query process's /metrics %d s into the window%n", scrapeAt);
    }
    JsonObject report = await(result, measured.toSeconds() + 300);
    JsonObject relay = relayDelays(started);
    System.out.println("command -> published by the relay: " + relay.encode());
    report.put("commandToPublished", relay);
    report.put("slowArrivals", slowArrivalsSplit(run.slowArrivals(), queries));
    List<Map<String, LatencyBuckets>> after = readSideStages(queries);
    for (Stage stage : READ_SIDE_STAGES) {
      JsonObject perProcess = new JsonObject();
      for (int i = 0; i < queries.size(); i++) {
        perProcess.put(queries.get(i), after.get(i).get(stage.key()).since(before.get(i).get(stage.key())));
      }
      System.out.println(stage.words() + ", per query process: " + perProcess.encode());
      report.put(stage.key(), perProcess);
    }
    write(report);
  }

  /** Each query process's histograms of {@link #READ_SIDE_STAGES}, by the stage's key. */
  private List<Map<String, LatencyBuckets>> readSideStages(List<String> queries) throws Exception {
    List<Map<String, LatencyBuckets>> read = new ArrayList<>();
    for (String query : queries) {
      // One page a process, as one scrape would read it: each read is a full rendering of every meter.
      String page = await(LatencyBuckets.page(http, query), 30);
      Map<String, LatencyBuckets> timers = new LinkedHashMap<>();
      for (Stage stage : READ_SIDE_STAGES) {
        timers.put(stage.key(), LatencyBuckets.of(page, stage.timer(), stage.tag()));
      }
      read.add(timers);
    }
    return read;
  }

  /**
   * Writes at {@code rate} for {@code warmUpLoadSeconds} and then, without a pause, for the measured window;
   * returns once the window begins (with its result to come). The warm-up runs in this JVM too: a load
   * generator started for the measured window would JIT-compile its own paths in it, on the cores the system
   * under test uses.
   */
  private Future<JsonObject> warmThenMeasure(PropagationRun run) throws Exception {
    Future<JsonObject> result = warmThenMeasure(run, Duration.ZERO);
    await(run.timed(), warmUpLoad.toSeconds() + 60);
    return result;
  }

  /** As {@link #warmThenMeasure(PropagationRun)}, but returns {@code lead} before the window (at once without a warm-up). */
  private Future<JsonObject> warmThenMeasure(PropagationRun run, Duration lead) throws Exception {
    if (!warmUpLoad.isZero()) {
      System.out.printf("warm-up: %d s of the same load, then the measured window without a pause%n", warmUpLoad.toSeconds());
    }
    Future<JsonObject> result = run.measure(Double.parseDouble(setting("rate", "200")), warmUpLoad, measured);
    Thread.sleep(Math.max(0, warmUpLoad.minus(lead).toMillis()));
    return result;
  }

  /** How long before the measured window the read side's histograms are read (see {@link #clusterPropagation}). */
  private static final Duration STAGES_LEAD = Duration.ofSeconds(15);

  /**
   * A query-side timer of where an event's time goes: its name, the tag its series must carry (empty: every
   * series, summed), the report's key for it and its words.
   */
  private record Stage(String timer, String tag, String key, String words) {
  }

  private static final List<Stage> READ_SIDE_STAGES = List.of(
      new Stage("cqrs_projection_latency_seconds", "", "commitToApplied", "commit -> applied in the read model"),
      new Stage("cqrs_consumer_fetch_delay_seconds", "", "sentToPolled", "sent to Kafka by the relay -> polled by the consumer"),
      new Stage("cqrs_projection_batch_seconds", "", "batchPolledToApplied", "batch polled -> applied (per batch)"),
      new Stage("cqrs_consumer_commit_seconds", "", "offsetCommit", "offset commit requested -> answered (per commit)"),
      new Stage("cqrs_feed_held_seconds", "applier=\"this\"", "feedHeldAppliedHere",
          "change feed: polled -> announced, for records this process applied"),
      new Stage("cqrs_feed_held_seconds", "applier=\"other\"", "feedHeldAppliedElsewhere",
          "change feed: polled -> announced, for records another process applied"));

  /**
   * Where the slow arrivals' time went, by the tenth of a second their POST was answered in: how many on each
   * stream (a stall of one query process shows on its stream only), and how long the relay took to publish
   * their books (command -> published, from the outbox) against the whole arrival. A stall before Kafka shows
   * as a relay time close to the arrival's; one after it, as a short relay time.
   */
  private JsonObject slowArrivalsSplit(List<PropagationRun.SlowArrival> slow, List<String> streams) throws Exception {
    Map<Long, Double> relayMillis = new HashMap<>();
    List<Long> bids = slow.stream().map(PropagationRun.SlowArrival::bid).distinct().toList();
    for (int from = 0; from < bids.size(); from += 500) {
      List<Long> some = bids.subList(from, Math.min(bids.size(), from + 500));
      String in = String.join(",", Collections.nCopies(some.size(), "?"));
      for (Row row : await(mysql.preparedQuery("SELECT bid, TIMESTAMPDIFF(MICROSECOND, created_at, published_at) FROM outbox"
          + " WHERE bid IN (" + in + ") AND published_at IS NOT NULL").execute(Tuple.from(new ArrayList<Object>(some))), 60)) {
        relayMillis.merge(row.getLong(0), row.getLong(1) / 1000.0, Math::max);
      }
    }
    Map<Long, List<PropagationRun.SlowArrival>> byTenth = new TreeMap<>();
    slow.forEach(arrival -> byTenth.computeIfAbsent(arrival.tenth(), tenth -> new ArrayList<>()).add(arrival));
    JsonArray tenths = new JsonArray();
    StringBuilder line = new StringBuilder();
    int relaySlow = 0;
    for (PropagationRun.SlowArrival arrival : slow) {
      if (relayMillis.getOrDefault(arrival.bid(), 0.0) > arrival.millis() / 2) {
        relaySlow++;
      }
    }
    byTenth.forEach((tenth, arrivals) -> {
      int[] perStream = new int[streams.size()];
      arrivals.forEach(arrival -> perStream[arrival.stream()]++);
      double relay = median(arrivals.stream().map(arrival -> relayMillis.getOrDefault(arrival.bid(), -1.0)).toList());
      double whole = median(arrivals.stream().map(PropagationRun.SlowArrival::millis).toList());
      JsonArray counts = new JsonArray();
      Arrays.stream(perStream).forEach(counts::add);
      tenths.add(new JsonObject().put("second", tenth / 10.0).put("perStream", counts)
          .put("medianArrivalMillis", whole).put("medianRelayMillis", relay));
      line.append(String.format(" %.1fs:%s relay %.0f of %.0f ms;", tenth / 10.0,
          Arrays.toString(perStream).replace(" ", ""), relay, whole));
    });
    System.out.println("slow arrivals by tenth (s into the window: per stream, median command -> published of their books"
        + " against their median arrival):" + line);
    System.out.printf("of %d arrivals over 50 ms, %d spent more than half of it before Kafka (in the relay)%n",
        slow.size(), relaySlow);
    // A book slow on every stream stalled before or in its owner's apply; slow on some streams only, it stalled
    // on the way from the owner to those streams' processes (another process learns of it from committed offsets).
    Map<Long, Long> streamsSlow = slow.stream().collect(Collectors.groupingBy(PropagationRun.SlowArrival::bid, Collectors.counting()));
    long everywhere = streamsSlow.values().stream().filter(n -> n == streams.size()).count();
    System.out.printf("of %d books with an arrival over 50 ms, %d were slow on every stream, %d on some only%n",
        streamsSlow.size(), everywhere, streamsSlow.size() - everywhere);
    return new JsonObject().put("count", slow.size()).put("mostlyInTheRelay", relaySlow)
        .put("books", streamsSlow.size()).put("booksSlowOnEveryStream", everywhere).put("byTenth", tenths);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  /** From each outbox row's creation (its command) to its publication, for rows created since {@code since}. */
  private JsonObject relayDelays(LocalDateTime since) throws Exception {
    List<Double> millis = new ArrayList<>();
    for (Row row : await(mysql.preparedQuery("SELECT TIMESTAMPDIFF(MICROSECOND, created_at, published_at) FROM outbox"
        + " WHERE created_at >= ? AND published_at IS NOT NULL").execute(Tuple.of(since)), 60)) {
      millis.add(row.getLong(0) / 1000.0);
    }
    millis.sort(Double::compare);
    JsonObject delays = new JsonObject().put("rows", millis.size());
    if (!millis.isEmpty()) {
      delays.put("p50Millis", millis.get(millis.size() / 2)).put("p99Millis", millis.get((int) (millis.size() * 0.99)))
          .put("maxMillis", millis.get(millis.size() - 1));
    }
    return delays;
  }

  /**
   * {@code clients} streams on one query process while writes go at {@code rate}; the process's resident
   * memory is read before and after the streams open ({@code queryPid}), for the memory each stream costs.
   */
  private void fanOut() throws Exception {
    authorization = "Bearer " + setting("token", "");
    int clients = Integer.parseInt(setting("clients", "1000"));
    long pid = Long.parseLong(setting("queryPid", "0"));
    List<String> commands = List.of(setting("command", "").split(","));
    List<String> streams = java.util.Collections.nCopies(clients, setting("query", ""));
    PropagationRun run = new PropagationRun(vertx, http, commands, streams, authorization);
    long before = rssKb(pid);
    await(run.open(), 120);
    Thread.sleep(3000);
    long after = rssKb(pid);
    System.out.printf("%d streams open on pid %d: RSS %d MB -> %d MB, %.1f KB per stream%n", run.openedStreams(), pid,
        before / 1024, after / 1024, (after - before) / (double) clients);
    Future<JsonObject> result = warmThenMeasure(run);
    System.out.printf("measuring for %d s%n", measured.toSeconds());
    JsonObject report = await(result, measured.toSeconds() + 300);
    long loaded = rssKb(pid);
    System.out.printf("RSS after %d s of changes: %d MB%n", measured.toSeconds(), loaded / 1024);
    write(report.put("rssBeforeKb", before).put("rssWithStreamsKb", after).put("rssAfterLoadKb", loaded)
        .put("kbPerStream", (after - before) / (double) clients));
  }

  /** The failover gap: from {@code killedAt} (epoch ms) to the first outbox row published after it. */
  private void failoverGap(long killedAtMillis) throws Exception {
    LocalDateTime killedAt = LocalDateTime.ofEpochSecond(killedAtMillis / 1000, (int) (killedAtMillis % 1000) * 1_000_000,
        ZoneOffset.UTC);
    Row first = await(mysql.preparedQuery("SELECT MIN(published_at) FROM outbox WHERE published_at > ?")
        .execute(Tuple.of(killedAt)), 30).iterator().next();
    LocalDateTime published = first.getLocalDateTime(0);
    double gap = published == null ? -1 : Duration.between(killedAt, published).toNanos() / 1e9;
    System.out.printf("failover gap: SIGKILL of the relay holder to the first row published by another: %.3f s%n", gap);
    write(new JsonObject().put("failoverGapSeconds", gap));
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private void write(JsonObject report) throws Exception {
    Files.writeString(Path.of(setting("out", "target/bench-cluster.json")), report.encodePrettily());
  }

  // --- 1-3: commands, queries, propagation ------------------------------------------------------

  private void load() throws Exception {
    authorization = fetchAuthorization();
    JsonObject report = new JsonObject();
    // Queries first, with the 10,000 books they are specified for: the command runs add far more.
    report.put("queries", queryRuns());
    report.put("readModelIndexes", await(mongo.listIndexes("books"), 30));
    // mongo-java-server goes on sorting list requests that timed out for a while; let it finish.
    Thread.sleep(5_000);

    JsonArray commands = commandRuns();
    double best = 0;
    for (int i = 0; i < commands.size(); i++) {
      best = Math.max(best, commands.getJsonObject(i).getJsonObject("app").getDouble("perSecond"));
    }
    report.put("commands", commands);

    JsonArray propagation = new JsonArray();
    for (double rate : new double[] {200, Math.max(1, Math.floor(best / 2))}) {
      PropagationRun run = new PropagationRun(vertx, http, List.of(commandUrl()), List.of(queryUrl()), authorization);
      propagation.add(await(run.run(rate, measured), 120));
    }
    report.put("propagation", propagation);

    String json = report.encodePrettily();
    Files.writeString(Path.of(setting("out", "target/bench-load.json")), json);
    System.out.println(json);
  }

  /**
   * {@code commands}: only the command runs, against a command side that is not relaying (see
   * bench/run.sh), to separate the command service's own cost from the pipeline behind it.
   */
  private void commandsOnly() throws Exception {
    authorization = fetchAuthorization();
    String json = new JsonObject().put("commands", commandRuns()).encodePrettily();
    Files.writeString(Path.of(setting("out", "target/bench-commands.json")), json);
    System.out.println(json);
  }

  /** {@code pages}: list pages beside their raw MongoDB operations (bench/list-pages.sh). */
  private void listPages() throws Exception {
    Set<String> only = Arrays.stream(setting("pages", "").split(",")).filter(name -> !name.isBlank()).collect(Collectors.toSet());
    JsonArray pages = new ListPages(http, wrk, mongo, loop, queryUrl(), setting("version", "after").equals("before"), only)
        .run(warmUp, measured);
    Files.writeString(Path.of(setting("out", "target/bench-pages.json")), pages.encodePrettily());
  }

  /** {@code queries}: only the query runs. */
  private void queriesOnly() throws Exception {
    authorization = fetchAuthorization();
    String json = new JsonObject().put("queries", queryRuns()).encodePrettily();
    Files.writeString(Path.of(setting("out", "target/bench-queries.json")), json);
    System.out.println(json);
  }

  /** GET by id and the list query, 32 clients, with at least 10,000 books, each beside its raw MongoDB operation. */
  private JsonArray queryRuns() throws Exception {
    List<Long> bids = ensureBooks(10_000);
    JsonArray queries = new JsonArray();
    int concurrency = 32;
    Path bidsFile = Files.createTempFile("cqrs-books-bids", ".txt");
    String getScript = Wrk.getBooks(bids, bidsFile, ThreadLocalRandom.current().nextLong());
    queries.add(pair(
        steady("GET /api/books/{bid}",
            httpLoad("GET /api/books/{bid}", concurrency, queryUrl(), () -> getScript, () -> getBook(bids))),
        steady("raw findOne by _id", window ->
            await(loop.run("raw findOne by _id", concurrency, Duration.ZERO, window, () -> rawFindOne(bids)), 120))));
    Files.deleteIfExists(bidsFile);
    queries.add(pair(
        await(loop.run("GET /api/books?limit=20&sort=-price", concurrency, warmUp, measured, this::listByPrice), 120),
        await(loop.run("raw find sort -price limit 20", concurrency, warmUp, measured, this::rawListByPrice), 120)));
    return queries;
  }

  /**
   * POST /api/books at 16 and 64 clients, each beside the raw MySQL transaction at the same concurrency.
   * Both sides are measured at steady state (see {@link #steady}).
   */
  private JsonArray commandRuns() throws Exception {
    await(mysql.query("CREATE TABLE IF NOT EXISTS bench_books LIKE books").execute()
        .compose(created -> mysql.query("CREATE TABLE IF NOT EXISTS bench_outbox LIKE outbox").execute()), 30);
    JsonArray commands = new JsonArray();
    Duration firstWarmUp = Duration.ofSeconds(Long.parseLong(setting("firstWarmUpSeconds", "90")));
    int[] concurrencies = Arrays.stream(setting("commandClients", "16,64").split(",")).mapToInt(Integer::parseInt).toArray();
    for (int concurrency : concurrencies) {
      // The server's JIT keeps improving the command path for about two minutes of load.
      LoadResult app = steady("POST /api/books", concurrency == 16 ? firstWarmUp : Duration.ZERO,
          httpLoad("POST /api/books", concurrency, commandUrl(),
              () -> Wrk.postBooks(authorization, ThreadLocalRandom.current().nextLong()), this::postBook));
      LoadResult raw = steady("raw MySQL transaction", window ->
          await(loop.run("raw MySQL transaction", concurrency, Duration.ZERO, window, this::rawTransaction), 120));
      commands.add(pair(app, raw));
    }
    return commands;
  }

  /** One load window of the given length. */
  @FunctionalInterface
  private interface Window {
    LoadResult run(Duration length) throws Exception;
  }

  /** HTTP load windows: wrk running {@code script} when it is installed, else the JVM driver's {@code operation}. */
  private Window httpLoad(String name, int concurrency, String url, Supplier<String> script,
                      Supplier<Future<Boolean>> operation) {
    return window -> wrk.isPresent()
        ? wrk.get().run(name, concurrency, window, url, script.get())
        : await(loop.run(name, concurrency, Duration.ZERO, window, operation), 120);
  }

  /**
   * Warms up in windows of {@code warmUpSeconds} until two windows in a row differ by less than 5% (the JIT
   * of a fresh server roughly triples the command rate over its first two minutes), at most
   * {@code maxWarmUpSeconds}; then
   * measures one window of {@code seconds}, with the CPU each process spent on it.
   */
  private LoadResult steady(String name, Window window) throws Exception {
    return steady(name, Duration.ZERO, window);
  }

  /** As {@link #steady(String, Window)}, warming up for at least {@code minWarmUp} (a JVM's first load). */
  private LoadResult steady(String name, Duration minWarmUp, Window window) throws Exception {
    long begin = System.nanoTime();
    long warmUpUntil = begin + Math.max(maxWarmUp.toNanos(), minWarmUp.toNanos());
    double previous = 0;
    StringBuilder rates = new StringBuilder();
    while (System.nanoTime() < warmUpUntil) {
      double rate = window.run(warmUp).perSecond();
      rates.append(rates.length() == 0 ? "" : ", ").append(Math.round(rate));
      boolean stable = previous > 0 && Math.abs(rate - previous) < 0.05 * previous;
      if (stable && System.nanoTime() - begin >= minWarmUp.toNanos()) {
        break;
      }
      previous = rate;
    }
    System.out.printf("%-38s warm-up windows (req/s): %s%n", name, rates);
    CpuMeter.Sample before = cpu.sample();
    LoadResult result = window.run(measured);
    return result.withCpu(cpu.between(before, cpu.sample(), result.requests()));
  }

  private JsonObject pair(LoadResult app, LoadResult raw) {
    System.out.printf("%-38s c=%-3d %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failures %d  (%s)%n",
        app.name(), app.concurrency(), app.perSecond(), app.p50Millis(), app.p99Millis(), app.maxMillis(),
        app.failures(), app.generator());
    System.out.printf("%-38s c=%-3d %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  -> ratio %.0f%%%n",
        raw.name(), raw.concurrency(), raw.perSecond(), raw.p50Millis(), raw.p99Millis(),
        100 * app.perSecond() / raw.perSecond());
    printCpu(app);
    printCpu(raw);
    return new JsonObject().put("app", app.toJson()).put("limit", raw.toJson())
        .put("ratio", Math.round(1000 * app.perSecond() / raw.perSecond()) / 1000.0);
  }

  private static void printCpu(LoadResult result) {
    if (result.cpu() != null) {
      System.out.printf("    %-34s CPU ms per request %s, machine busy %s%%%n", result.name(),
          result.cpu().getJsonObject("cpuMillisPerOperation").encode(), result.cpu().getValue("machineBusyPercent"));
    }
  }

  private String commandUrl() {
    return setting("command", "http://127.0.0.1:18081");
  }

  private String queryUrl() {
    return setting("query", "http://127.0.0.1:18080");
  }

  /** {@code Bearer <token>}: the token= setting, else the one the embedded launch hands to local clients. */
  private String fetchAuthorization() throws Exception {
    String token = settings.containsKey("token") ? settings.get("token")
        : await(http.getAbs(queryUrl() + "/api/config").send(), 30).bodyAsJsonObject().getString("commandToken");
    if (token == null) {
      throw new IllegalStateException("no command token: pass token=... (see `./run.sh token`)");
    }
    return "Bearer " + token;
  }

  static Buffer book() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new JsonObject()
        .put("title", "Benchmark book " + random.nextInt(1_000_000))
        .put("author", "Author " + random.nextInt(10_000))
        .put("category", "category-" + random.nextInt(20))
        .put("pages", 1 + random.nextInt(2000))
        .put("price", random.nextInt(100_000))
        .put("publishedDate", "2019-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10))
        .put("description", "A book written to be stored, published, projected and read back as fast as possible.")
        .toBuffer();
  }

  private Future<Boolean> postBook() {
    return http.postAbs(commandUrl() + "/api/books").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", authorization).sendBuffer(book()).map(response -> response.statusCode() == 201);
  }

  /**
   * The command side's transaction without HTTP, validation or Kafka: one books row and one outbox row,
   * into copies of those tables (same columns and indexes), so the catalogue only holds published books.
   */
  private Future<Boolean> rawTransaction() {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    JsonObject book = book().toJsonObject();
    return mysql.withTransaction(connection -> connection.preparedQuery("""
            INSERT INTO bench_books (title, author, category, pages, price, published_date, description, version,
                                     created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""")
        .execute(Tuple.of(book.getString("title"), book.getString("author"), book.getString("category"),
            book.getInteger("pages"), book.getInteger("price"), java.time.LocalDate.parse(book.getString("publishedDate")),
            book.getString("description"), now, now))
        .compose(inserted -> connection.preparedQuery("""
                INSERT INTO bench_outbox (event_id, bid, version, event_type, payload, created_at, published_at)
                VALUES (?, ?, 1, 'BookCreated', ?, ?, ?)""")
            .execute(Tuple.of(UUID.randomUUID().toString(), inserted.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID),
                book.encode(), now, now))))
        .map(true);
  }

  private Future<Boolean> getBook(List<Long> bids) {
    long bid = bids.get(ThreadLocalRandom.current().nextInt(bids.size()));
    return http.getAbs(queryUrl() + "/api/books/" + bid).send().map(response -> response.statusCode() == 200);
  }

  private Future<Boolean> rawFindOne(List<Long> bids) {
    long bid = bids.get(ThreadLocalRandom.current().nextInt(bids.size()));
    return mongo.findOne("books", new JsonObject().put("_id", bid), new JsonObject().put("_id", 0)).map(found -> found != null);
  }

  private Future<Boolean> listByPrice() {
    return http.getAbs(queryUrl() + "/api/books?limit=20&sort=-price").timeout(10_000).send().map(response -> response.statusCode() == 200);
  }

  private Future<Boolean> rawListByPrice() {
    return mongo.findWithOptions("books", new JsonObject(), new FindOptions().setLimit(20)
        .setSort(new JsonObject().put("price", -1).put("_id", -1)).setFields(new JsonObject().put("_id", 0)))
        .compose(items -> mongo.count("books", new JsonObject()).map(items.size() == 20));
  }

  /** Creates books through the API until the read model holds at least {@code count}; returns bids read back. */
  private List<Long> ensureBooks(int count) throws Exception {
    long have = await(mongo.count("books", new JsonObject()), 30);
    if (have < count) {
      await(loop.runTimes(64, count - have, this::postBook), 400);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (await(mongo.count("books", new JsonObject()), 30) < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    List<Long> bids = new ArrayList<>();
    for (Row row : await(mysql.query("SELECT bid FROM books").execute(), 60)) {
      bids.add(row.getLong(0));
    }
    return bids;
  }

  // --- 4: a big table for the bootstrap -----------------------------------------------------------

  /**
   * Tops {@code <fillDatabase>.books} up to {@code target} rows. The bootstrap reads its own database
   * ({@code bench_bootstrap} in run.sh), so the books the load phase created do not change its size.
   */
  private void fill(long target) throws Exception {
    String database = setting("fillDatabase", "cqrs_books");
    String table = "`" + database + "`.books";
    if (!database.equals("cqrs_books")) {
      await(mysql.query("CREATE DATABASE IF NOT EXISTS `" + database + "`").execute()
          .compose(created -> mysql.query("CREATE TABLE IF NOT EXISTS " + table + " LIKE cqrs_books.books").execute()), 60);
    }
    long have = await(mysql.query("SELECT COUNT(*) FROM " + table).execute(), 60).iterator().next().getLong(0);
    long missing = target - have;
    int rowsPerStatement = 1000;
    String sql = "INSERT INTO " + table + " (title, author, category, pages, price, published_date, description, version,"
        + " created_at, updated_at) VALUES " + "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?), ".repeat(rowsPerStatement - 1)
        + "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    long statements = Math.max(0, (missing + rowsPerStatement - 1) / rowsPerStatement);
    await(loop.runTimes(4, statements, () -> {
      Tuple rows = Tuple.tuple();
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      for (int i = 0; i < rowsPerStatement; i++) {
        JsonObject book = book().toJsonObject();
        rows.addValue(book.getString("title")).addValue(book.getString("author")).addValue(book.getString("category"))
            .addValue(book.getInteger("pages")).addValue(book.getInteger("price"))
            .addValue(java.time.LocalDate.parse(book.getString("publishedDate"))).addValue(book.getString("description"))
            .addValue(now).addValue(now);
      }
      return mysql.preparedQuery(sql).execute(rows);
    }), 1900);
    System.out.println("books in " + table + ": " + await(mysql.query("SELECT COUNT(*) FROM " + table).execute(), 60)
        .iterator().next().getLong(0));
  }

  static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.await(seconds, TimeUnit.SECONDS);
  }
}
