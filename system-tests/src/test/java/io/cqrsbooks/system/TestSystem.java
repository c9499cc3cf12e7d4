package io.cqrsbooks.system;

import io.cqrsbooks.command.AuthSettings;
import io.cqrsbooks.command.CommandTokens;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.embedded.LocalServers;
import io.cqrsbooks.launcher.AppConfig;
import io.cqrsbooks.launcher.CqrsBooks;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole system for a test: real embedded MariaDB, Kafka and MongoDB-wire servers, the command side
 * and the query side each in its own Vert.x instance (so either can be restarted alone), on free ports.
 * With {@link #startInProcesses} each side runs in its own JVM instead, so it can also be killed hard.
 */
final class TestSystem implements AutoCloseable {

  final LocalServers servers = new LocalServers();
  final Path dataDir;
  final int commandPort = freePort();
  final int queryPort = freePort();
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  static final String SECRET = "system-test-secret-that-is-long-enough-0123456789";
  /** A valid command token, sent with every command unless the test passes its own Authorization header. */
  final String token;
  private final JsonObject config;
  /** The running sides by role ("command", "query"): in this JVM, or as child JVMs. */
  private final Map<String, CqrsBooks> inProcess = new HashMap<>();
  private final Map<String, SideProcess> processes = new HashMap<>();
  private boolean separateProcesses;
  private Stores stores;

  private TestSystem() throws Exception {
    dataDir = Files.createTempDirectory("cqrs-books-test");
    JsonObject connections = servers.start(dataDir, new JsonObject());
    config = AppConfig.defaults().put("embedded", false);
    for (String section : connections.fieldNames()) {
      config.getJsonObject(section).mergeIn(connections.getJsonObject(section));
    }
    config.getJsonObject("command").put("httpPort", commandPort).put("relayPollMillis", 200)
        .put("corsOrigins", new io.vertx.core.json.JsonArray().add("http://localhost:" + queryPort)
            .add("http://127.0.0.1:" + queryPort));
    config.getJsonObject("query").put("httpPort", queryPort);
    config.getJsonObject("auth").put("jwtSecret", SECRET);
    token = CommandTokens.create(vertx, AuthSettings.fromJson(config)).mint("system-test");
    // As the embedded launch does: the query side hands this token to browsers on this machine.
    config.getJsonObject("auth").put("localToken", token);
  }

  static TestSystem start() throws Exception {
    return start(config -> { });
  }

  /** Starts with a change to the configuration, e.g. another MongoDB write guard. */
  static TestSystem start(java.util.function.Consumer<JsonObject> tweak) throws Exception {
    TestSystem system = new TestSystem();
    tweak.accept(system.config);
    system.startCommandSide();
    system.startQuerySide();
    system.awaitReady();
    return system;
  }

  /** Both sides as child JVMs, for tests that kill them with SIGKILL. */
  static TestSystem startInProcesses() throws Exception {
    TestSystem system = new TestSystem();
    system.separateProcesses = true;
    system.startCommandSide();
    system.startQuerySide();
    system.awaitReady();
    return system;
  }

  JsonObject config() {
    return config;
  }

  void startCommandSide() throws Exception {
    startSide("command", commandPort);
  }

  void stopCommandSide() {
    stopSide("command");
  }

  /** SIGKILL to the command side's JVM, wherever it is (mid-transaction, mid-relay). */
  void killCommandSide() {
    processes.get("command").kill();
  }

  void startQuerySide() throws Exception {
    startSide("query", queryPort);
  }

  void stopQuerySide() {
    stopSide("query");
  }

  /** SIGKILL to the query side's JVM: applied but uncommitted events come again after the restart. */
  void killQuerySide() {
    processes.get("query").kill();
  }

  private void startSide(String role, int port) throws Exception {
    if (separateProcesses) {
      SideProcess side = SideProcess.start(role, config, dataDir);
      processes.put(role, side);
      awaitTrue(role + " side up", Duration.ofSeconds(90), () -> healthy(port), side::logTail);
    } else {
      inProcess.put(role, CqrsBooks.start(config.copy().put("roles", role)));
    }
  }

  private void stopSide(String role) {
    if (separateProcesses) {
      processes.get(role).stop();
    } else {
      inProcess.get(role).close();
    }
  }

  io.cqrsbooks.query.QueryStatus queryStatus() {
    return inProcess.get("query").queryStatus();
  }

  private boolean healthy(int port) {
    return await(http.get(port, "127.0.0.1", "/health").timeout(2000).send()).statusCode() == 200;
  }

  void awaitReady() {
    awaitTrue("query side ready", Duration.ofSeconds(60), () -> get("/ready").statusCode() == 200);
  }

  // --- HTTP -----------------------------------------------------------------------------------

  HttpResponse<Buffer> send(HttpMethod method, int port, String path, MultiMap headers, Buffer body) {
    var request = http.request(method, port, "127.0.0.1", path).putHeaders(headers).timeout(15_000);
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** A command with the test's token; an {@code Authorization} header given here replaces it ("" sends none). */
  HttpResponse<Buffer> command(HttpMethod method, String path, JsonObject body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    if (body != null) {
      map.add("Content-Type", "application/json");
    }
    map.add("Authorization", "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("Authorization")) {
        map.remove("Authorization");
        if (headers[i + 1].isEmpty()) {
          continue;
        }
      }
      map.add(headers[i], headers[i + 1]);
    }
    return send(method, commandPort, path, map, body == null ? null : body.toBuffer());
  }

  HttpResponse<Buffer> createBook(JsonObject book) {
    HttpResponse<Buffer> response = command(HttpMethod.POST, "/api/books", book);
    assertEquals(201, response.statusCode(), () -> response.bodyAsString());
    return response;
  }

  HttpResponse<Buffer> get(String path, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return send(HttpMethod.GET, queryPort, path, map, null);
  }

  static JsonObject book(String title, int pages, long price) {
    return new JsonObject().put("title", title).put("author", "Author of " + title).put("category", "test")
        .put("pages", pages).put("price", price).put("publishedDate", "2020-05-17").put("description", "about " + title);
  }

  // --- The two stores, read directly ------------------------------------------------------------

  Stores stores() {
    if (stores == null) {
      stores = new Stores(vertx, config);
    }
    return stores;
  }

  Pool mysql() {
    return stores().mysql();
  }

  MongoClient mongo() {
    return stores().mongo();
  }

  long countRows(String table) {
    return stores().countRows(table);
  }

  List<Book> mysqlBooks() {
    return stores().mysqlBooks();
  }

  List<Book> readModelBooks() {
    return stores().readModelBooks();
  }

  void awaitReadModelEqualsMySql(Duration timeout) {
    stores().awaitReadModelEqualsMySql(timeout);
  }

  void publishRaw(String key, String value) {
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, Map.of(
        "bootstrap.servers", config.getJsonObject("kafka").getString("bootstrapServers"),
        "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
        "value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
        "acks", "all"));
    try {
      await(producer.send(KafkaProducerRecord.create(config.getJsonObject("kafka").getString("topic"), key, value)));
    } finally {
      await(producer.close());
    }
  }

  // --- The outbox and the topic ------------------------------------------------------------------

  long unpublishedEvents() {
    return stores().unpublishedEvents();
  }

  /** Every event id on the topic, read from the beginning of each partition to its end. */
  Set<String> eventIdsOnTopic() {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, String> record : recordsOnTopic()) {
      ids.add(new JsonObject(record.value()).getString("eventId"));
    }
    return ids;
  }

  /**
   * Fails unless, for every book, the versions on the topic first appear in increasing order: a relay
   * that starts again may publish an event a second time, but never one book's events out of order.
   */
  void assertPerBookOrderOnTopic() {
    Map<String, Long> newestSeen = new HashMap<>();
    Map<String, Set<Long>> seen = new HashMap<>();
    for (ConsumerRecord<String, String> record : recordsOnTopic()) {
      long version = new JsonObject(record.value()).getLong("version");
      if (seen.computeIfAbsent(record.key(), bid -> new HashSet<>()).add(version)) {
        long newest = newestSeen.getOrDefault(record.key(), 0L);
        assertTrue(version > newest, "book " + record.key() + ": version " + version + " first published after "
            + newest + " (partition " + record.partition() + ", offset " + record.offset() + ")");
        newestSeen.put(record.key(), version);
      }
    }
  }

  private List<ConsumerRecord<String, String>> recordsOnTopic() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", config.getJsonObject("kafka").getString("bootstrapServers"));
    properties.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    properties.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    properties.put("isolation.level", "read_committed");
    String topic = config.getJsonObject("kafka").getString("topic");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  List<String> outboxEventIds() {
    return stores().outboxEventIds();
  }

  // --- Helpers ----------------------------------------------------------------------------------

  static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    awaitTrue(what, timeout, condition, () -> "");
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (AssertionError | RuntimeException e) {
        // not yet
      }
      sleep(100);
    }
    fail("timed out after " + timeout + " waiting for: " + what + "\n" + context.get());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (SideProcess side : processes.values()) {
      if (side.isAlive()) {
        side.kill();
      }
    }
    for (AutoCloseable part : new AutoCloseable[] {inProcess.get("query"), inProcess.get("command")}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception ignored) {
        // closing everything regardless
      }
    }
    vertx.close();
    try {
      servers.close();
    } finally {
      deleteDataDir();
    }
  }

  /** The servers' files (about 350 MB, most of it MariaDB's binaries), whatever happened before. */
  private void deleteDataDir() {
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete the test system's folder " + dataDir + ": " + e);
    }
    if (Files.exists(dataDir)) {
      System.err.println("the test system's folder " + dataDir + " is still there after closing");
    }
  }
}
