package io.cqrsbooks.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * The merged configuration, read key by key into typed settings. Each read checks its value and, when it is
 * wrong, stops the start with a message naming the key and its environment variable. The defaults live in
 * {@code conf/cqrs-books.json} alone: a key that is absent is an error here, never a silent fallback.
 */
public final class Config {

  private final JsonObject root;

  public Config(JsonObject root) {
    this.root = root;
  }

  /** {@code query.httpPort} becomes {@code CQRS_QUERY_HTTP_PORT}. */
  public static String environmentName(String key) {
    return "CQRS_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  /** A port to listen on or connect to, 1-65535 (0 is accepted where the server picks, see {@link #portOrAny}). */
  public int port(String key) {
    int port = integer(key);
    if (port < 1 || port > 65535) {
      throw invalid(key, "must be a port number 1-65535, got " + port);
    }
    return port;
  }

  /** A port to listen on, where 0 asks for a free one. */
  public int portOrAny(String key) {
    int port = integer(key);
    if (port < 0 || port > 65535) {
      throw invalid(key, "must be a port number 0-65535, got " + port);
    }
    return port;
  }

  public int positive(String key) {
    int number = integer(key);
    if (number < 1) {
      throw invalid(key, "must be a positive integer, got " + number);
    }
    return number;
  }

  public Duration millis(String key) {
    return Duration.ofMillis(positive(key));
  }

  public Duration seconds(String key) {
    return Duration.ofSeconds(positive(key));
  }

  public Duration minutes(String key) {
    return Duration.ofMinutes(positive(key));
  }

  /** A text that must not be blank. */
  public String required(String key) {
    String text = text(key);
    if (text.isBlank()) {
      throw invalid(key, "must be set");
    }
    return text;
  }

  /** A text that may be empty. */
  public String text(String key) {
    if (!(value(key) instanceof String text)) {
      throw invalid(key, "must be a string");
    }
    return text;
  }

  public String oneOf(String key, List<String> allowed) {
    String text = text(key);
    if (!allowed.contains(text)) {
      throw invalid(key, "must be " + String.join(" or ", allowed) + ", got '" + text + "'");
    }
    return text;
  }

  public boolean flag(String key) {
    if (!(value(key) instanceof Boolean flag)) {
      throw invalid(key, "must be true or false");
    }
    return flag;
  }

  public List<String> list(String key) {
    if (!(value(key) instanceof JsonArray list)) {
      throw invalid(key, "must be a list");
    }
    return list.stream().map(String::valueOf).toList();
  }

  /** The error for a key whose value is wrong: {@code CQRS_A_B (a.b) <reason>}. */
  public ConfigException invalid(String key, String reason) {
    return new ConfigException(environmentName(key) + " (" + key + ") " + reason);
  }

  private int integer(String key) {
    if (!(value(key) instanceof Integer number)) {
      throw invalid(key, "must be an integer, got " + value(key));
    }
    return number;
  }

  private Object value(String key) {
    JsonObject section = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      section = section.getJsonObject(parts[i]);
      if (section == null) {
        throw invalid(key, "is missing");
      }
    }
    if (!section.containsKey(parts[parts.length - 1])) {
      throw invalid(key, "is missing");
    }
    return section.getValue(parts[parts.length - 1]);
  }
}
