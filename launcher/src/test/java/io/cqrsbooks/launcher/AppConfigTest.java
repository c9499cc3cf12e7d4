package io.cqrsbooks.launcher;

import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AppConfigTest {

  @Test
  void defaultsComeFromConf() {
    AppSettings settings = AppConfig.load(null, Map.of());
    assertEquals(8080, settings.query().httpPort());
    assertEquals(8081, settings.command().httpPort());
    assertEquals(8081, settings.query().commandPort(), "the UI finds the command side on the command side's port");
    assertEquals("books.events", settings.command().kafka().topic());
    assertEquals(settings.command().kafka(), settings.query().kafka(), "one kafka section for both sides");
    assertEquals(2, settings.query().instances());
    assertTrue(settings.embedded());
    assertEquals(List.of("command", "query"), settings.roles());
  }

  @Test
  void everyKeyOfTheDefaultsIsReadAndNoneHasAHiddenFallback() {
    JsonObject defaults = AppConfig.defaults();
    List<String> keys = leafKeys(defaults, "");
    assertTrue(keys.size() > 30, "found " + keys);
    for (String key : keys) {
      JsonObject without = defaults.copy();
      String[] parts = key.split("\\.");
      JsonObject section = without;
      for (int i = 0; i < parts.length - 1; i++) {
        section = section.getJsonObject(parts[i]);
      }
      section.remove(parts[parts.length - 1]);
      ConfigException e = assertThrows(ConfigException.class, () -> AppSettings.from(without),
          key + " is not read by any settings, or is read with a fallback of its own");
      assertEquals(Config.environmentName(key) + " (" + key + ") is missing", e.getMessage());
    }
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertEquals("CQRS_QUERY_HTTP_PORT", Config.environmentName("query.httpPort"));
    assertEquals("CQRS_KAFKA_BOOTSTRAP_SERVERS", Config.environmentName("kafka.bootstrapServers"));
    assertEquals("CQRS_MONGO_CONNECTION_STRING", Config.environmentName("mongo.connectionString"));
  }

  @Test
  void everyKeyCanBeOverriddenFromTheEnvironment() {
    AppSettings settings = AppConfig.load(null, Map.of(
        "CQRS_QUERY_HTTP_PORT", "9090",
        "CQRS_KAFKA_TOPIC", "other.topic",
        "CQRS_EMBEDDED", "false",
        "CQRS_COMMAND_CORS_ORIGINS", "https://a.example, https://b.example",
        "CQRS_ROLES", "query"));
    assertEquals(9090, settings.query().httpPort());
    assertEquals("other.topic", settings.query().kafka().topic());
    assertFalse(settings.embedded());
    assertEquals(List.of("https://a.example", "https://b.example"), settings.command().corsOrigins());
    assertEquals(List.of("query"), settings.roles());
  }

  @Test
  void scaleOutSettingsAreChecked() {
    assertMessage(Map.of("CQRS_QUERY_BOOTSTRAP", "sometimes"), "CQRS_QUERY_BOOTSTRAP (query.bootstrap) must be auto or copy, got 'sometimes'");
    assertMessage(Map.of("CQRS_COMMAND_RELAY_FAILOVER_SECONDS", "1"),
        "CQRS_COMMAND_RELAY_POLL_MILLIS (command.relayPollMillis) must be shorter than command.relayFailoverSeconds");
    assertMessage(Map.of("CQRS_COMMAND_RELAY_FAILOVER_SECONDS", "30", "CQRS_MYSQL_SOCKET_TIMEOUT_SECONDS", "7"),
        "CQRS_MYSQL_SOCKET_TIMEOUT_SECONDS (mysql.socketTimeoutSeconds) must be longer than the relay lease's renewal interval (7000 ms");
    assertMessage(Map.of("CQRS_QUERY_CHANGE_REPLAY_WINDOW", "0"), "CQRS_QUERY_CHANGE_REPLAY_WINDOW (query.changeReplayWindow) must be a positive integer");
    assertFalse(AppConfig.load(null, Map.of("CQRS_QUERY_BOOTSTRAP", "copy")).query().joinCurrentReadModel());
  }

  @Test
  void externalCommandsNeedTheTokenKeyFromConfiguration() {
    assertMessage(Map.of("CQRS_EMBEDDED", "false"), "CQRS_AUTH_JWT_SECRET (auth.jwtSecret) must be set outside the embedded launch");
    assertMessage(Map.of("CQRS_AUTH_JWT_SECRET", "short"), "CQRS_AUTH_JWT_SECRET (auth.jwtSecret) must be at least 32 characters");
    assertEquals(List.of("query"), AppConfig.load(null, Map.of("CQRS_EMBEDDED", "false", "CQRS_ROLES", "query")).roles(),
        "a query-only process needs no key");
    String secret = "x".repeat(32);
    assertEquals(secret, AppConfig.load(null, Map.of("CQRS_EMBEDDED", "false", "CQRS_AUTH_JWT_SECRET", secret))
        .command().auth().jwtSecret());
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
    AppSettings settings = AppConfig.load(file, Map.of("CQRS_AUTH_JWT_SECRET", "k".repeat(40)));
    assertEquals("db.internal", settings.command().mysql().host());
    assertEquals(3307, settings.query().mysql().port());

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
    AppSettings settings = AppConfig.load(Path.of("../conf/external.example.json"),
        Map.of("CQRS_AUTH_JWT_SECRET", "k".repeat(40)));
    assertFalse(settings.embedded());
    assertEquals(3, settings.command().kafka().replicationFactor());
  }

  private static void assertMessage(Map<String, String> environment, String start) {
    ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(null, environment));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }

  private static List<String> leafKeys(JsonObject section, String prefix) {
    List<String> keys = new ArrayList<>();
    for (String name : section.fieldNames()) {
      if (section.getValue(name) instanceof JsonObject inner) {
        keys.addAll(leafKeys(inner, prefix + name + "."));
      } else {
        keys.add(prefix + name);
      }
    }
    return keys;
  }
}
