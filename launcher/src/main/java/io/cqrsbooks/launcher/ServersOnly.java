package io.cqrsbooks.launcher;

import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.ConfigException;
import io.cqrsbooks.config.EmbeddedServers;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cqrs-books.jar servers}: the embedded MariaDB, Kafka and MongoDB-wire servers alone, so
 * one machine can play a cluster: any number of command and query processes attach to them with
 * {@code CQRS_EMBEDDED=false} and the lines this prints (also written to {@code <dataDir>/servers.env}).
 */
final class ServersOnly {

  static final String ENV_FILE = "servers.env";

  private ServersOnly() {
  }

  static void run(AppSettings settings) throws Exception {
    EmbeddedServers servers = ServiceLoader.load(EmbeddedServers.class).findFirst().orElseThrow(() -> new ConfigException(
        "`servers` needs cqrs-books-embedded.jar beside cqrs-books.jar; use ./run.sh servers"));
    Path dataDir = settings.dataDir();
    JsonObject connections = servers.start(dataDir, settings.embeddedPorts());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("cqrs-books servers: stopping");
      servers.close();
      stopped.countDown();
    }, "cqrs-books-servers-shutdown"));
    Map<String, String> environment = attachEnvironment(connections);
    Path envFile = dataDir.resolve(ENV_FILE);
    writeEnvFile(envFile, environment);
    System.out.println(banner(connections, environment, envFile));
    stopped.await();
  }

  /** What a command or query process needs to attach to these servers, as environment variables. */
  static Map<String, String> attachEnvironment(JsonObject connections) {
    JsonObject mysql = connections.getJsonObject("mysql");
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(Config.environmentName("embedded"), "false");
    environment.put(Config.environmentName("mysql.host"), mysql.getString("host"));
    environment.put(Config.environmentName("mysql.port"), String.valueOf(mysql.getInteger("port")));
    environment.put(Config.environmentName("mysql.user"), mysql.getString("user"));
    environment.put(Config.environmentName("kafka.bootstrapServers"),
        connections.getJsonObject("kafka").getString("bootstrapServers"));
    environment.put(Config.environmentName("mongo.connectionString"),
        connections.getJsonObject("mongo").getString("connectionString"));
    return environment;
  }

  private static void writeEnvFile(Path file, Map<String, String> environment) throws IOException {
    StringBuilder text = new StringBuilder("# written by `cqrs-books servers`; valid while it runs\n");
    environment.forEach((name, value) -> text.append("export ").append(name).append('=').append(value).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String banner(JsonObject connections, Map<String, String> environment, Path envFile) {
    JsonObject mysql = connections.getJsonObject("mysql");
    StringBuilder out = new StringBuilder("\ncqrs-books servers are up\n")
        .append("  MySQL/MariaDB  ").append(mysql.getString("host")).append(':').append(mysql.getInteger("port"))
        .append('/').append(mysql.getString("database")).append('\n')
        .append("  Kafka          ").append(connections.getJsonObject("kafka").getString("bootstrapServers")).append('\n')
        .append("  MongoDB        ").append(connections.getJsonObject("mongo").getString("connectionString")).append('\n')
        .append("Attach command and query processes with these lines (also in ").append(envFile.toAbsolutePath())
        .append("), the same CQRS_AUTH_JWT_SECRET for all, and a port of their own:\n");
    environment.forEach((name, value) -> out.append("  export ").append(name).append('=').append(value).append('\n'));
    return out.append("Press Ctrl-C to stop.\n").toString();
  }
}
