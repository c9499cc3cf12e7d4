package io.cqrsbooks.launcher;

import io.cqrsbooks.command.AuthSettings;
import io.cqrsbooks.command.CommandService;
import io.cqrsbooks.command.CommandTokens;
import io.cqrsbooks.command.CommandSettings;
import io.cqrsbooks.query.QueryService;
import io.cqrsbooks.query.QuerySettings;
import io.cqrsbooks.query.QueryStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * One running cqrs-books: the embedded servers when configured, a Vert.x instance, and the roles
 * asked for. Used by {@link Main} and by the system tests alike.
 */
public final class CqrsBooks implements AutoCloseable {

  private final JsonObject config;
  private final EmbeddedServers embedded;
  private final Vertx vertx;
  private QueryStatus queryStatus;

  private CqrsBooks(JsonObject config, EmbeddedServers embedded, Vertx vertx) {
    this.config = config;
    this.embedded = embedded;
    this.vertx = vertx;
  }

  /** Starts everything the configuration asks for and returns once the HTTP APIs listen. */
  public static CqrsBooks start(JsonObject given) throws Exception {
    JsonObject config = given.copy();
    EmbeddedServers embedded = null;
    if (config.getBoolean("embedded")) {
      embedded = ServiceLoader.load(EmbeddedServers.class).findFirst().orElseThrow(() -> new ConfigException(
          "embedded servers were asked for (CQRS_EMBEDDED=true) but cqrs-books-embedded.jar is not beside "
          + "cqrs-books.jar; use ./run.sh, or set CQRS_EMBEDDED=false and configure mysql, kafka and mongo"));
      JsonObject servers = embedded.start(Path.of(config.getString("dataDir")), config.getJsonObject("embeddedServers"));
      for (String section : servers.fieldNames()) {
        config.getJsonObject(section).mergeIn(servers.getJsonObject(section));
      }
    }
    config.getJsonObject("auth").put("jwtSecret", LocalSecret.resolve(config));
    Vertx vertx = Vertx.vertx();
    if (config.getBoolean("embedded") && AppConfig.roles(config).contains("command")) {
      // On the local machine the query side hands this token to the browser, so the UI needs no pasting.
      config.getJsonObject("auth").put("localToken",
          CommandTokens.create(vertx, AuthSettings.fromJson(config)).mint("local-user"));
    }
    CqrsBooks app = new CqrsBooks(config, embedded, vertx);
    try {
      app.deployRoles().await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app;
  }

  private Future<Void> deployRoles() {
    List<String> roles = AppConfig.roles(config);
    Future<?> chain = Future.succeededFuture();
    // The command side first: its migrations create the tables the query side's bootstrap reads.
    if (roles.contains("command")) {
      chain = chain.compose(none -> vertx.deployVerticle(new CommandService(CommandSettings.fromJson(config))));
    }
    if (roles.contains("query")) {
      QueryService query = new QueryService(QuerySettings.fromJson(config));
      queryStatus = query.status();
      chain = chain.compose(none -> vertx.deployVerticle(query));
    }
    return chain.mapEmpty();
  }

  /** The effective configuration, with the embedded servers' addresses filled in. */
  public JsonObject config() {
    return config;
  }

  public QueryStatus queryStatus() {
    return queryStatus;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway: the embedded servers below must not outlive us.
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
