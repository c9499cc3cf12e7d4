package io.cqrsbooks.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AppConfigTest {

  @Test
  void defaultsComeFromConf() {
    JsonObject config = AppConfig.load(null, Map.of());
    assertEquals(8080, config.getJsonObject("query").getInteger("httpPort"));
    assertEquals(8081, config.getJsonObject("command").getInteger("httpPort"));
    assertEquals("books.events", config.getJsonObject("kafka").getString("topic"));
    assertTrue(config.getBoolean("embedded"));
    assertEquals(List.of("command", "query"), AppConfig.roles(config));
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertEquals("CQRS_QUERY_HTTP_PORT", AppConfig.environmentName("query.httpPort"));
    assertEquals("CQRS_KAFKA_BOOTSTRAP_SERVERS", AppConfig.environmentName("kafka.bootstrapServers"));
    assertEquals("CQRS_MONGO_CONNECTION_STRING", AppConfig.environmentName("mongo.connectionString"));
  }

  @Test
  void everyKeyCanBeOverriddenFromTheEnvironment() {
    JsonObject config = AppConfig.load(null, Map.of(
        "CQRS_QUERY_HTTP_PORT", "9090",
        "CQRS_KAFKA_TOPIC", "other.topic",
        "CQRS_EMBEDDED", "false",
        "CQRS_COMMAND_CORS_ORIGINS", "https://a.example, https://b.example",
        "CQRS_ROLES", "query"));
    assertEquals(9090, config.getJsonObject("query").getInteger("httpPort"));
    assertEquals("other.topic", config.getJsonObject("kafka").getString("topic"));
    assertFalse(config.getBoolean("embedded"));
    assertEquals(List.of("https://a.example", "https://b.example"),
        config.getJsonObject("command").getJsonArray("corsOrigins").getList());
    assertEquals(List.of("query"), AppConfig.roles(config));
  }

  @Test
  void scaleOutSettingsAreChecked() {
    assertMessage(Map.of("CQRS_QUERY_BOOTSTRAP", "sometimes"), "CQRS_QUERY_BOOTSTRAP (query.bootstrap) must be auto or copy, got 'sometimes'");
    assertMessage(Map.of("CQRS_COMMAND_RELAY_FAILOVER_SECONDS", "1"),
        "CQRS_COMMAND_RELAY_POLL_MILLIS (command.relayPollMillis) must be shorter than command.relayFailoverSeconds");
    assertMessage(Map.of("CQRS_QUERY_CHANGE_REPLAY_WINDOW", "0"), "CQRS_QUERY_CHANGE_REPLAY_WINDOW (query.changeReplayWindow) must be a positive integer");
    assertEquals("copy", AppConfig.load(null, Map.of("CQRS_QUERY_BOOTSTRAP", "copy")).getJsonObject("query").getString("bootstrap"));
  }

  @Test
  void externalCommandsNeedTheTokenKeyFromConfiguration() {
    assertMessage(Map.of("CQRS_EMBEDDED", "false"), "CQRS_AUTH_JWT_SECRET (auth.jwtSecret) must be set outside the embedded launch");
    assertMessage(Map.of("CQRS_AUTH_JWT_SECRET", "short"), "CQRS_AUTH_JWT_SECRET (auth.jwtSecret) must be at least 32 characters");
    assertEquals("query", AppConfig.roles(AppConfig.load(null, Map.of("CQRS_EMBEDDED", "false", "CQRS_ROLES", "query"))).get(0),
        "a query-only process needs no key");
    String secret = "x".repeat(32);
    assertEquals(secret, AppConfig.load(null, Map.of("CQRS_EMBEDDED", "false", "CQRS_AUTH_JWT_SECRET", secret))
        .getJsonObject("auth").getString("jwtSecret"));
  }

  @Test
  void theEmbeddedLaunchKeepsItsOwnKeyInTheDataFolder(@TempDir Path dataDir) throws Exception {
    String first = LocalSecret.loadOrCreate(dataDir);
    assertTrue(first.length() >= 32);
    assertEquals(first, LocalSecret.loadOrCreate(dataDir), "the same key after a restart");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve(LocalSecret.FILE))));
  }

  @Test
  void wrongValuesStopTheStartNamingTheKey() {
    assertMessage(Map.of("CQRS_QUERY_HTTP_PORT", "eighty"), "CQRS_QUERY_HTTP_PORT (query.httpPort) must be an integer");
    assertMessage(Map.of("CQRS_QUERY_HTTP_PORT", "70000"), "CQRS_QUERY_HTTP_PORT (query.httpPort) must be a port number");
    assertMessage(Map.of("CQRS_ROLES", "reporting"), "CQRS_ROLES (roles) must name command, query or both");
    assertMessage(Map.of("CQRS_EMBEDDED", "yes"), "CQRS_EMBEDDED (embedded) must be true or false");
    assertMessage(Map.of("CQRS_KAFKA_TOPIC", " "), "CQRS_KAFKA_TOPIC (kafka.topic) must be set");
    assertMessage(Map.of("CQRS_EMBEDDED", "false", "CQRS_AUTH_JWT_SECRET", "x".repeat(32), "CQRS_MONGO_CONNECTION_STRING", ""),
        "CQRS_MONGO_CONNECTION_STRING (mongo.connectionString) must be set");
  }

  @Test
  void aConfigurationFileOverridesDefaultsAndIsCheckedToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("external.json");
    Files.writeString(file, "{\"embedded\": false, \"mysql\": {\"host\": \"db.internal\", \"port\": 3307}}");
    JsonObject config = AppConfig.load(file, Map.of("CQRS_AUTH_JWT_SECRET", "k".repeat(40)));
    assertEquals("db.internal", config.getJsonObject("mysql").getString("host"));
    assertEquals(3307, config.getJsonObject("mysql").getInteger("port"));

    Files.writeString(file, "{\"mysql\": {\"hots\": \"typo\"}}");
    assertEquals("unknown configuration key 'mysql.hots'",
        assertThrows(ConfigException.class, () -> AppConfig.load(file, Map.of())).getMessage());
    Files.writeString(file, "{\"mysql\": {\"port\": \"3306\"}}");
    assertEquals("configuration key 'mysql.port' must be a number",
        assertThrows(ConfigException.class, () -> AppConfig.load(file, Map.of())).getMessage());
  }

  @Test
  void theShippedExternalExampleIsAValidConfiguration() {
    assertThrows(ConfigException.class, () -> AppConfig.load(Path.of("../conf/external.example.json"), Map.of()),
        "refuses to start without the token key");
    JsonObject config = AppConfig.load(Path.of("../conf/external.example.json"),
        Map.of("CQRS_AUTH_JWT_SECRET", "k".repeat(40)));
    assertFalse(config.getBoolean("embedded"));
    assertEquals(3, config.getJsonObject("kafka").getInteger("replicationFactor"));
  }

  private static void assertMessage(Map<String, String> environment, String start) {
    ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(null, environment));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
