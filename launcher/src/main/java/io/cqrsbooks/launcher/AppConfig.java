package io.cqrsbooks.launcher;

import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads the configuration: the defaults in {@code conf/cqrs-books.json} (packed into the jar), then an
 * optional file, then environment variables. Every key {@code a.bKey} can be set by {@code CQRS_A_B_KEY};
 * lists are comma-separated. A value of the wrong type or an unknown key stops the start with a message naming
 * it; {@link AppSettings#from} then reads every key into typed settings, checking each as it goes.
 */
public final class AppConfig {

  public static final String DEFAULTS_RESOURCE = "/cqrs-books.json";
  public static final String FILE_VARIABLE = "CQRS_CONFIG";

  private AppConfig() {
  }

  /** The configuration, typed and checked: what a launch runs with. */
  public static AppSettings load(Path file, Map<String, String> environment) {
    return AppSettings.from(merged(file, environment));
  }

  /** Defaults, file and environment merged into one JSON object, each value of its default's type. */
  public static JsonObject merged(Path file, Map<String, String> environment) {
    JsonObject config = defaults();
    Path chosen = file != null ? file
        : environment.containsKey(FILE_VARIABLE) ? Path.of(environment.get(FILE_VARIABLE)) : null;
    if (chosen != null) {
      merge(config, readFile(chosen), "");
    }
    applyEnvironment(config, "", environment);
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
      String variable = Config.environmentName(key);
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
}
