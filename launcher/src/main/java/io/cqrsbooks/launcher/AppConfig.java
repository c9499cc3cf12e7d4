package io.cqrsbooks.launcher;

import io.cqrsbooks.command.CommandTokens;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the configuration: the defaults in {@code conf/cqrs-books.json} (packed into the jar), then an
 * optional file, then environment variables. Every key {@code a.bKey} can be set by {@code CQRS_A_B_KEY};
 * lists are comma-separated. Anything missing or of the wrong type stops the start with a message naming it.
 */
public final class AppConfig {

  public static final String DEFAULTS_RESOURCE = "/cqrs-books.json";
  public static final String FILE_VARIABLE = "CQRS_CONFIG";
  private static final Set<String> ROLES = Set.of("command", "query");

  private AppConfig() {
  }

  public static JsonObject load(Path file, Map<String, String> environment) {
    JsonObject config = defaults();
    Path chosen = file != null ? file
        : environment.containsKey(FILE_VARIABLE) ? Path.of(environment.get(FILE_VARIABLE)) : null;
    if (chosen != null) {
      merge(config, readFile(chosen), "");
    }
    applyEnvironment(config, "", environment);
    validate(config);
    return config;
  }

  public static JsonObject defaults() {
    try (InputStream in = AppConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the default configuration is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the default configuration could not be read", e);
    }
  }

  /** {@code query.httpPort} becomes {@code CQRS_QUERY_HTTP_PORT}. */
  public static String environmentName(String key) {
    return "CQRS_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  public static List<String> roles(JsonObject config) {
    return Arrays.stream(config.getString("roles").split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList();
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("configuration file " + file + " is not a JSON object: " + e.getMessage());
    }
  }

  private static void merge(JsonObject target, JsonObject source, String prefix) {
    for (String name : source.fieldNames()) {
      String key = prefix + name;
      if (!target.containsKey(name)) {
        throw new ConfigException("unknown configuration key '" + key + "'");
      }
      Object current = target.getValue(name);
      Object value = source.getValue(name);
      if (current instanceof JsonObject section) {
        if (!(value instanceof JsonObject overrides)) {
          throw new ConfigException("configuration key '" + key + "' must be an object");
        }
        merge(section, overrides, key + ".");
      } else {
        target.put(name, checkedType(key, current, value));
      }
    }
  }

  private static void applyEnvironment(JsonObject config, String prefix, Map<String, String> environment) {
    for (String name : config.fieldNames()) {
      String key = prefix + name;
      Object current = config.getValue(name);
      if (current instanceof JsonObject section) {
        applyEnvironment(section, key + ".", environment);
        continue;
      }
      String variable = environmentName(key);
      String text = environment.get(variable);
      if (text != null) {
        config.put(name, fromText(key, variable, current, text));
      }
    }
  }

  private static Object fromText(String key, String variable, Object current, String text) {
    String where = variable + " (" + key + ")";
    if (current instanceof Integer) {
      try {
        return Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw new ConfigException(where + " must be an integer, got '" + text + "'");
      }
    }
    if (current instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new ConfigException(where + " must be true or false, got '" + text + "'");
      }
      return Boolean.parseBoolean(text);
    }
    if (current instanceof JsonArray) {
      JsonArray list = new JsonArray();
      Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(list::add);
      return list;
    }
    return text;
  }

  private static Object checkedType(String key, Object current, Object value) {
    boolean fits = current == null
        || (current instanceof Integer && value instanceof Integer)
        || (current instanceof Boolean && value instanceof Boolean)
        || (current instanceof String && value instanceof String)
        || (current instanceof JsonArray && value instanceof JsonArray);
    if (!fits) {
      throw new ConfigException("configuration key '" + key + "' must be a " + typeName(current));
    }
    return value;
  }

  private static String typeName(Object value) {
    if (value instanceof Integer) {
      return "number";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return value instanceof JsonArray ? "list" : "string";
  }

  private static void validate(JsonObject config) {
    List<String> roles = roles(config);
    if (roles.isEmpty() || !ROLES.containsAll(roles)) {
      throw new ConfigException(environmentName("roles") + " (roles) must name command, query or both, got '"
          + config.getString("roles") + "'");
    }
    port(config, "command.httpPort");
    port(config, "query.httpPort");
    positive(config, "command.instances");
    positive(config, "query.instances");
    positive(config, "command.relayPollMillis");
    positive(config, "command.relayFailoverSeconds");
    JsonObject command = config.getJsonObject("command");
    if (command.getInteger("relayPollMillis") >= command.getInteger("relayFailoverSeconds") * 1000) {
      throw new ConfigException(environmentName("command.relayPollMillis") + " (command.relayPollMillis) must be"
          + " shorter than command.relayFailoverSeconds: a standby competes for the relay lease on that tick");
    }
    positive(config, "command.outboxRetentionSeconds");
    positive(config, "query.consistencyTimeoutMillis");
    positive(config, "query.bootstrapBatchSize");
    positive(config, "query.readModelCheckMillis");
    positive(config, "query.changeReplayWindow");
    String bootstrap = config.getJsonObject("query").getString("bootstrap");
    if (!List.of("auto", "copy").contains(bootstrap)) {
      throw new ConfigException(environmentName("query.bootstrap") + " (query.bootstrap) must be auto or copy, got '"
          + bootstrap + "'");
    }
    positive(config, "query.changeStreamBufferKb");
    positive(config, "http.idleTimeoutSeconds");
    positive(config, "http.requestTimeoutMillis");
    positive(config, "auth.tokenTtlMinutes");
    required(config, "auth.issuer");
    if (roles.contains("command")) {
      commandSecret(config);
    }
    positive(config, "kafka.partitions");
    positive(config, "kafka.replicationFactor");
    positive(config, "mysql.poolSize");
    required(config, "kafka.topic");
    required(config, "kafka.groupId");
    required(config, "mongo.database");
    required(config, "mysql.database");
    if (!config.getBoolean("embedded")) {
      required(config, "mysql.host");
      port(config, "mysql.port");
      required(config, "mysql.user");
      required(config, "kafka.bootstrapServers");
      required(config, "mongo.connectionString");
    }
  }

  /** Outside the embedded launch the command side never makes up its own key: it must be configured. */
  private static void commandSecret(JsonObject config) {
    String secret = config.getJsonObject("auth").getString("jwtSecret");
    String name = environmentName("auth.jwtSecret") + " (auth.jwtSecret)";
    if (secret.isEmpty() && !config.getBoolean("embedded")) {
      throw new ConfigException(name + " must be set outside the embedded launch: the key that signs command tokens,"
          + " at least " + CommandTokens.MIN_SECRET_LENGTH + " characters (e.g. from `openssl rand -base64 48`)");
    }
    if (!secret.isEmpty() && secret.length() < CommandTokens.MIN_SECRET_LENGTH) {
      throw new ConfigException(name + " must be at least " + CommandTokens.MIN_SECRET_LENGTH + " characters long");
    }
  }

  private static Object value(JsonObject config, String key) {
    JsonObject section = config;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      section = section.getJsonObject(parts[i]);
    }
    return section.getValue(parts[parts.length - 1]);
  }

  private static void port(JsonObject config, String key) {
    Object value = value(config, key);
    if (!(value instanceof Integer port) || port < 0 || port > 65535) {
      throw new ConfigException(environmentName(key) + " (" + key + ") must be a port number 0-65535, got " + value);
    }
  }

  private static void positive(JsonObject config, String key) {
    Object value = value(config, key);
    if (!(value instanceof Integer number) || number < 1) {
      throw new ConfigException(environmentName(key) + " (" + key + ") must be a positive integer, got " + value);
    }
  }

  private static void required(JsonObject config, String key) {
    Object value = value(config, key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException(environmentName(key) + " (" + key + ") must be set");
    }
  }
}
