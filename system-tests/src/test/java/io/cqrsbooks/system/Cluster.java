package io.cqrsbooks.system;

import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.launcher.AppConfig;
import io.cqrsbooks.launcher.AppSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.freePort;

/**
 * One machine playing a cluster, the way a user runs it: {@code Main servers} in one JVM, then command and
 * query processes, each a JVM of its own, attached with the environment lines the servers process wrote.
 */
final class Cluster implements AutoCloseable {

  /** A command or query process: its JVM and its HTTP port. */
  private ApiContracts contracts;

  record Node(String name, String role, int port, SideProcess process) {
  }

  final Path dir;
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  final String token;
  final Stores stores;
  private final SideProcess servers;
  private final Map<String, String> attach;
  private final Map<String, String> extraEnvironment;
  private final Map<String, Node> nodes = new LinkedHashMap<>();

  private Cluster(Path dir, SideProcess servers, Map<String, String> attach, Map<String, String> extraEnvironment) {
    this.dir = dir;
    this.servers = servers;
    this.attach = attach;
    this.extraEnvironment = extraEnvironment;
    AppSettings settings = AppConfig.load(null, environment());
    token = BearerTokens.create(vertx, settings.command().auth()).mint("cluster-test", BearerTokens.WRITE);
    stores = new Stores(vertx, settings.query());
  }

  /** Starts the servers, then {@code commands} command and {@code queries} query processes side by side. */
  static Cluster start(int commands, int queries, Map<String, String> extraEnvironment) throws Exception {
    Path dir = Files.createTempDirectory("cqrs-books-cluster");
    SideProcess servers = SideProcess.start("servers", "1g", List.of("servers"),
        Map.of(Config.environmentName("dataDir"), dir.resolve("data").toString()), dir);
    Path envFile = dir.resolve("data").resolve("servers.env");
    awaitTrue("the servers process wrote " + envFile, Duration.ofSeconds(120), () -> Files.exists(envFile), servers::logTail);
    Cluster cluster = new Cluster(dir, servers, readEnvFile(envFile), extraEnvironment);
    List<Node> started = new ArrayList<>();
    for (int i = 1; i <= commands; i++) {
      started.add(cluster.launch("command-" + i, "command"));
    }
    for (int i = 1; i <= queries; i++) {
      started.add(cluster.launch("query-" + i, "query"));
    }
    started.forEach(cluster::awaitUp);
    return cluster;
  }

  private static Map<String, String> readEnvFile(Path file) throws IOException {
    Map<String, String> environment = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("export ")) {
        String assignment = line.substring("export ".length());
        int equals = assignment.indexOf('=');
        environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
      }
    }
    return environment;
  }

  /** What every process of the cluster is started with: the servers' lines, one key, the test's extras. */
  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(attach);
    environment.put(Config.environmentName("auth.jwtSecret"), TestSystem.SECRET);
    environment.putAll(extraEnvironment);
    return environment;
  }

  /** Starts a process of this role under this name (a new one, or again after it was stopped or killed). */
  Node start(String name, String role) {
    return start(name, role, Map.of());
  }

  /** The same, with settings of its own added to the cluster's. */
  Node start(String name, String role, Map<String, String> ownEnvironment) {
    Node node = launch(name, role, ownEnvironment);
    awaitUp(node);
    return node;
  }

  private Node launch(String name, String role) {
    return launch(name, role, Map.of());
  }

  private Node launch(String name, String role, Map<String, String> ownEnvironment) {
    int port = nodes.containsKey(name) ? nodes.get(name).port() : freePort();
    Map<String, String> environment = environment();
    environment.putAll(ownEnvironment);
    environment.put(Config.environmentName(role + ".httpPort"), String.valueOf(port));
    Node node = new Node(name, role, port, SideProcess.start(name, "256m", List.of(role), environment, dir));
    nodes.put(name, node);
    return node;
  }

  private void awaitUp(Node node) {
    String path = node.role().equals("query") ? "/ready" : "/health";
    awaitTrue(node.name() + " up", Duration.ofSeconds(120),
        () -> await(http.get(node.port(), "127.0.0.1", path).timeout(2000).send()).statusCode() == 200,
        node.process()::logTail);
  }

  /** The port the servers' MariaDB listens on. */
  /** The {@code servers} process: embedded Kafka and the MongoDB stand-in in one JVM (MariaDB is a process of its own). */
  SideProcess servers() {
    return servers;
  }

  int mysqlPort() {
    return Integer.parseInt(attach.get(Config.environmentName("mysql.port")));
  }

  Node node(String name) {
    return nodes.get(name);
  }

  /** SIGKILL: no shutdown hook, no leaving the consumer group, no releasing the relay lease. */
  void kill(String name) {
    nodes.get(name).process().kill();
  }

  /** The command process that holds the relay lease, as its log says (the last one to say so). */
  String relayHolder() {
    return nodes.values().stream()
        .filter(node -> node.role().equals("command") && node.process().isAlive())
        .filter(node -> node.process().log().contains("now relays the outbox"))
        .map(Node::name)
        .reduce((first, second) -> {
          throw new AssertionError("two live command processes claim the relay lease: " + first + ", " + second);
        })
        .orElseThrow(() -> new AssertionError("no command process holds the relay lease"));
  }

  HttpResponse<Buffer> command(String node, HttpMethod method, String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
    var request = http.request(method, nodes.get(node).port(), "127.0.0.1", path).putHeaders(headers).timeout(15_000);
    return checked(node, method, path, await(body == null ? request.send() : request.sendJsonObject(body)));
  }

  HttpResponse<Buffer> get(String node, String path, String... headers) {
    var request = http.get(nodes.get(node).port(), "127.0.0.1", path).timeout(15_000);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return checked(node, HttpMethod.GET, path, await(request.send()));
  }

  /** The answer, once it is found to fit its side's OpenAPI document. */
  private HttpResponse<Buffer> checked(String node, HttpMethod method, String path, HttpResponse<Buffer> response) {
    if (contracts == null) {
      contracts = new ApiContracts(vertx);
    }
    ApiContracts.Side side = nodes.get(node).role().equals("command") ? ApiContracts.Side.COMMAND : ApiContracts.Side.QUERY;
    contracts.check(side, method, path, response);
    return response;
  }

  JsonObject status(String queryNode) {
    return get(queryNode, "/ready").bodyAsJsonObject();
  }

  SseClient changes(String queryNode, String lastEventId) {
    return SseClient.open(vertx, nodes.get(queryNode).port(), lastEventId);
  }

  String logs() {
    StringBuilder text = new StringBuilder(servers.logTail());
    nodes.values().forEach(node -> text.append('\n').append(node.process().logTail()));
    return text.toString();
  }

  @Override
  public void close() {
    nodes.values().forEach(node -> {
      if (node.process().isAlive()) {
        node.process().stop();
      }
    });
    stores.close();
    vertx.close();
    servers.stop();
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete the cluster's folder " + dir + ": " + e);
    }
  }
}
