package io.cqrsbooks.launcher;

import io.cqrsbooks.command.CommandSettings;
import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.EmbeddedServers;
import io.cqrsbooks.metrics.MetricsSettings;
import io.cqrsbooks.query.QuerySettings;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Everything a launch needs, typed and checked in one pass over the merged configuration ({@link #from}):
 * each key is read in exactly one place, the {@code from} of the settings it belongs to.
 *
 * @param source the merged configuration these settings were read from (the embedded servers' addresses
 *     are merged into it, and it is read again, once they run)
 */
public record AppSettings(
    JsonObject source,
    List<String> roles,
    boolean embedded,
    Path dataDir,
    EmbeddedServers.Ports embeddedPorts,
    CommandSettings command,
    QuerySettings query,
    MetricsSettings metrics,
    LoggingSettings logging) {

  private static final Set<String> ROLES = Set.of("command", "query");

  public static AppSettings from(JsonObject source) {
    Config config = new Config(source);
    List<String> roles = Arrays.stream(config.text("roles").split(",")).map(String::strip)
        .filter(role -> !role.isEmpty()).toList();
    if (roles.isEmpty() || !ROLES.containsAll(roles)) {
      throw config.invalid("roles", "must name command, query or both, got '" + config.text("roles") + "'");
    }
    boolean embedded = config.flag("embedded");
    CommandSettings command = CommandSettings.from(config);
    // Outside the embedded launch the command side never makes up its own key: it must be configured.
    if (roles.contains("command") && !embedded && !command.auth().hasSecret()) {
      throw config.invalid("auth.jwtSecret", "must be set outside the embedded launch: the key that signs command"
          + " tokens, at least " + BearerTokens.MIN_SECRET_LENGTH + " characters (e.g. from `openssl rand -base64 48`)");
    }
    return new AppSettings(source, roles, embedded, Path.of(config.required("dataDir")),
        EmbeddedServers.Ports.from(config), command, QuerySettings.from(config, command.httpPort()),
        MetricsSettings.from(config), LoggingSettings.from(config));
  }

  public boolean runs(String role) {
    return roles.contains(role);
  }

  /** These settings with the servers' connection sections (shaped like {@code mysql}, {@code kafka}, {@code mongo}). */
  public AppSettings attachedTo(JsonObject connections) {
    JsonObject merged = source.copy();
    for (String section : connections.fieldNames()) {
      merged.getJsonObject(section).mergeIn(connections.getJsonObject(section));
    }
    return from(merged);
  }

  /** These settings with one token-signing key on both sides. */
  public AppSettings withAuth(AuthSettings auth) {
    return new AppSettings(source, roles, embedded, dataDir, embeddedPorts, command.withAuth(auth), query.withAuth(auth),
        metrics, logging);
  }
}
