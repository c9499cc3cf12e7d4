package io.cqrsbooks.command;

import io.cqrsbooks.lifecycle.Undeploy;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.store.SchemaMigrations;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The command side: brings the schema up to date, then starts the outbox relay and the HTTP API
 * (one API verticle per configured instance, all sharing the port).
 */
public final class CommandService extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);

  /** A drain running longer than this is reported as stalled (usually: waiting for Kafka). */
  private static final Duration STALLED_AFTER = Duration.ofSeconds(5);

  private final CommandSettings settings;
  private final Metrics metrics;
  private final RelayStatus relay = new RelayStatus(STALLED_AFTER);
  private Pool backlogPool;
  private String relayDeployment;
  private String apiDeployment;

  public CommandService(CommandSettings settings, Metrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    CommandMetrics meters = new CommandMetrics(metrics.registry(), relay);
    return SchemaMigrations.apply(vertx, settings.mysql().connectOptions("cqrs-books-migrations"))
        .compose(migrated -> vertx.deployVerticle(new OutboxRelay(
            settings.mysql(), settings.kafka(), settings.relay(), relay)))
        .onSuccess(id -> relayDeployment = id)
        .compose(deployed -> vertx.deployVerticle(() -> new CommandApiVerticle(settings, relay, meters, metrics),
            new DeploymentOptions().setInstances(settings.instances())))
        .onSuccess(id -> apiDeployment = id)
        .onSuccess(deployed -> {
          backlogPool = settings.mysql().sharedPool(vertx, CommandApiVerticle.POOL_NAME);
          meters.sampleBacklog(vertx, backlogPool);
        })
        .onSuccess(api -> LOG.info("command API listening on port {} ({} instance(s)), writing {}",
            settings.httpPort(), settings.instances(), settings.mysql().describe()));
  }

  /**
   * Stops in the order that loses nothing and cuts nothing off: the API first (no new command is accepted),
   * then the relay, which publishes what was committed and marks it before it closes. Undeploying the
   * service alone stops its parts all at once, the pools under statements still running.
   */
  public Future<Void> stopInOrder() {
    return Undeploy.inOrder(vertx, Undeploy.part("command API", apiDeployment), Undeploy.part("outbox relay", relayDeployment))
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return backlogPool == null ? Future.succeededFuture() : backlogPool.close();
  }
}
