package io.cqrsbooks.launcher;

import io.cqrsbooks.command.CommandService;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.ConfigException;
import io.cqrsbooks.config.EmbeddedServers;
import io.cqrsbooks.lifecycle.Undeploy;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.query.QueryService;
import io.cqrsbooks.query.QueryStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * One running cqrs-books: the embedded servers when configured, a Vert.x instance, and the roles
 * asked for. Used by {@link Main} and by the system tests alike.
 */
public final class CqrsBooks implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CqrsBooks.class);

  /** Each part's own grace (the relay's drain, the consumer's last commit) fits in this, with room to spare. */
  private static final long STOP_IN_ORDER_SECONDS = 20;

  private final AppSettings settings;
  private final EmbeddedServers embedded;
  private final Vertx vertx;
  private final Optional<String> localCommandToken;
  private final Metrics metrics;
  private QueryStatus queryStatus;
  private CommandService command;
  private QueryService query;

  private CqrsBooks(AppSettings settings, EmbeddedServers embedded, Metrics metrics, Vertx vertx,
      Optional<String> localCommandToken) {
    this.settings = settings;
    this.embedded = embedded;
    this.metrics = metrics;
    this.vertx = vertx;
    this.localCommandToken = localCommandToken;
  }

  /** Reads the configuration ({@link AppSettings#from}) and starts it. */
  public static CqrsBooks start(JsonObject config) throws Exception {
    return start(AppSettings.from(config));
  }

  /** Starts everything the settings ask for and returns once the HTTP APIs listen. */
  public static CqrsBooks start(AppSettings configured) throws Exception {
    AppSettings settings = configured;
    EmbeddedServers embedded = null;
    if (settings.embedded()) {
      embedded = ServiceLoader.load(EmbeddedServers.class).findFirst().orElseThrow(() -> new ConfigException(
          "embedded servers were asked for (CQRS_EMBEDDED=true) but cqrs-books-embedded.jar is not beside "
          + "cqrs-books.jar; use ./run.sh, or set CQRS_EMBEDDED=false and configure mysql, kafka and mongo"));
      settings = settings.attachedTo(embedded.start(settings.dataDir(), settings.embeddedPorts()));
    }
    settings = LocalSecret.resolve(settings);
    Metrics metrics = Metrics.create(settings.metrics());
    Vertx vertx = metrics.newVertx();
    Optional<String> localToken = Optional.empty();
    if (settings.embedded() && settings.runs("command")) {
      // On the local machine the query side hands this token to the browser, so the UI needs no pasting.
      localToken = Optional.of(BearerTokens.create(vertx, settings.command().auth()).mint("local-user", BearerTokens.WRITE));
    }
    CqrsBooks app = new CqrsBooks(settings, embedded, metrics, vertx, localToken);
    try {
      app.deployRoles().await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app;
  }

  private Future<Void> deployRoles() {
    Future<?> chain = metrics.listenOnOwnPort(vertx);
    // The command side first: its migrations create the tables the query side's bootstrap reads.
    if (settings.runs("command")) {
      command = new CommandService(settings.command(), metrics);
      chain = chain.compose(none -> vertx.deployVerticle(command));
    }
    if (settings.runs("query")) {
      query = new QueryService(settings.query(), localCommandToken, metrics);
      queryStatus = query.status();
      chain = chain.compose(none -> vertx.deployVerticle(query));
    }
    return chain.mapEmpty();
  }

  /** The settings it runs with, the embedded servers' addresses filled in. */
  public AppSettings settings() {
    return settings;
  }

  /** The effective configuration, the embedded servers' addresses filled in: a copy to start another process from. */
  public JsonObject config() {
    return settings.source().copy();
  }

  /** In the embedded launch with the command role, the token the local UI gets by itself. */
  public Optional<String> localCommandToken() {
    return localCommandToken;
  }

  public QueryStatus queryStatus() {
    return queryStatus;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops the command side (no command is accepted, what was committed is published), then the query side,
   * each part after the one that feeds it, then Vert.x, then the embedded servers: nothing is cut off while
   * it works, so a stop logs no failure.
   */
  @Override
  public void close() {
    try {
      Future<Void> commandStopped = command == null ? Future.succeededFuture() : command.stopInOrder();
      commandStopped.transform(stopped -> query == null ? Future.succeededFuture() : query.stopInOrder())
          .await(STOP_IN_ORDER_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Whatever did not stop in order is stopped with Vert.x below; the part still stopping was logged.
      LOG.info("the services did not stop in order within {} s: {}", STOP_IN_ORDER_SECONDS, e.toString());
    }
    long closing = System.nanoTime();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway: the embedded servers below must not outlive us.
    } finally {
      logIfSlow("closing Vert.x", closing);
      if (embedded != null) {
        long stopping = System.nanoTime();
        embedded.close();
        logIfSlow("stopping the embedded servers", stopping);
      }
    }
  }

  /** The services' parts log their own slow stops ({@code Undeploy}); these are the steps after them. */
  private static void logIfSlow(String step, long startedNanos) {
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    if (millis > Undeploy.SLOW_MILLIS) {
      LOG.info("{} took {} ms", step, millis);
    }
  }
}
