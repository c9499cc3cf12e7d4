package io.cqrsbooks.launcher;

import io.cqrsbooks.config.Config;

import java.util.List;

/**
 * How the process logs (the {@code logging} section).
 *
 * @param json one JSON object per line ({@code logging.format} = {@code json}) instead of plain text
 * @param debug loggers (class or package names) that log at DEBUG, e.g. the projection's per-event lines
 */
public record LoggingSettings(boolean json, List<String> debug) {

  public static LoggingSettings from(Config config) {
    return new LoggingSettings(config.oneOf("logging.format", List.of("text", "json")).equals("json"),
        config.list("logging.debug"));
  }
}
