package io.cqrsbooks.system;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.EmbeddedServers;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.embedded.LocalServers;
import io.cqrsbooks.launcher.AppConfig;
import io.cqrsbooks.launcher.AppSettings;
import io.cqrsbooks.launcher.CqrsBooks;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
  /** A token with the books:admin scope, for the query side's admin API. */
  final String adminToken;
  private final JsonObject config;
  /** The running sides by role ("command", "query"): in this JVM, or as child JVMs. */
  private final Map<String, CqrsBooks> inProcess = new HashMap<>();
  private ApiContracts contracts;
  private final Map<String, SideProcess> processes = new HashMap<>();
  private boolean separateProcesses;
  private Stores stores;

  private TestSystem() throws Exception {
    dataDir = Files.createTempDirectory("cqrs-books-test");
    JsonObject connections = servers.start(dataDir, EmbeddedServers.Ports.ANY);
    config = AppConfig.defaults().put("embedded", false);
    for (String section : connections.fieldNames()) {
      config.getJsonObject(section).mergeIn(connections.getJsonObject(section));
    }
    config.getJsonObject("command").put("httpPort", commandPort).put("relayPollMillis", 200)
        .put("corsOrigins", new io.vertx.core.json.JsonArray().add("http://localhost:" + queryPort)
            .add("http://127.0.0.1:" + queryPort));
    config.getJsonObject("query").put("httpPort", queryPort);
    config.getJsonObject("auth").put("jwtSecret", SECRET);
    BearerTokens tokens = BearerTokens.create(vertx, AuthSettings.from(new Config(config)));
    token = tokens.mint("system-test", BearerTokens.WRITE);
    adminToken = tokens.mint("system-test-operator", BearerTokens.ADMIN);
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

  /** Both roles in one CqrsBooks, as a deployment that runs them together does: one Vert.x, one metrics registry. */
  static TestSystem startAsOneProcess(java.util.function.Consumer<JsonObject> tweak) throws Exception {
    TestSystem system = new TestSystem();
    tweak.accept(system.config);
    system.inProcess.put("query", CqrsBooks.start(system.config.copy().put("roles", "command,query")));
    system.awaitReady();
    return system;
  }

  /** Both sides as child JVMs, for tests that kill them with SIGKILL. */
  static TestSystem startInProcesses() throws Exception {
    return startInProcesses(config -> { });
  }

  /** Both sides as child JVMs, started with a change to the configuration. */
  static TestSystem startInProcesses(java.util.function.Consumer<JsonObject> tweak) throws Exception {
    TestSystem system = new TestSystem();
    tweak.accept(system.config);
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

  /** SIGTERM to the command side's JVM; true if it stopped by itself within the time. */
  boolean terminateCommandSide(Duration timeout) {
    return processes.get("command").stopWithin(timeout);
  }

  /** A side's JVM ("command", "query"), when the sides run as child JVMs. */
  SideProcess sideProcess(String role) {
    return processes.get(role);
  }

  /** What the command side's JVM printed, from its last start. */
  String commandSideLog() {
    return processes.get("command").log();
  }

  /** What the query side's JVM printed, from its last start. */
  String querySideLog() {
    return processes.get("query").log();
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

  /** Sends a request; the answer must fit the side's OpenAPI document ({@link ApiContracts}). */
  HttpResponse<Buffer> send(HttpMethod method, int port, String path, MultiMap headers, Buffer body) {
    var request = http.request(method, port, "127.0.0.1", path).putHeaders(headers).timeout(15_000);
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendBuffer(body));
    if (port == commandPort || port == queryPort) {
      contracts().check(port == commandPort ? ApiContracts.Side.COMMAND : ApiContracts.Side.QUERY, method, path, response);
    }
    return response;
  }

  private ApiContracts contracts() {
    if (contracts == null) {
      contracts = new ApiContracts(vertx);
    }
    return contracts;
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

  /** A request to the query side's admin API with the admin token (an Authorization header given here replaces it). */
  HttpResponse<Buffer> admin(HttpMethod method, String path, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + adminToken);
    for (int i = 0; i < headers.length; i += 2) {
      map.set(headers[i], headers[i + 1]);
      if (headers[i + 1].isEmpty()) {
        map.remove(headers[i]);
      }
    }
    return send(method, queryPort, path, map, null);
  }

  HttpResponse<Buffer> createBook(JsonObject book) {
    HttpResponse<Buffer> response = command(HttpMethod.POST, "/api/books", book);
    assertEquals(201, response.statusCode(), () -> response.bodyAsString());
    return response;
  }

  /** {@code GET} on the command side, e.g. {@code /ready} or {@code /status}. */
  HttpResponse<Buffer> commandGet(String path) {
    return send(HttpMethod.GET, commandPort, path, MultiMap.caseInsensitiveMultiMap(), null);
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
      stores = new Stores(vertx, AppSettings.from(config).query());
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

  /** The topic read and written directly, with the settings the services use. */
  Topic topic() {
    return new Topic(vertx, AppSettings.from(config).command().kafka());
  }

  void publishRaw(String key, String value) {
    topic().publishRaw(key, value);
  }

  Set<String> eventIdsOnTopic() {
    return topic().eventIds();
  }

  void assertPerBookOrderOnTopic() {
    topic().assertPerBookOrder();
  }

  // --- The outbox and the topic ------------------------------------------------------------------

  long unpublishedEvents() {
    return stores().unpublishedEvents();
  }

  List<String> outboxEventIds() {
    return stores().outboxEventIds();
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
