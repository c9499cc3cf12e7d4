package io.cqrsbooks.query;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query side: starts the HTTP API (so health is answered at once) and the consumer, which creates
 * the read model's indexes, bootstraps it from MySQL and then follows the event stream.
 */
public final class QueryService extends VerticleBase {

  static final String MONGO_POOL = "cqrs-books-read-model";
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  private final QuerySettings settings;
  private final QueryStatus status = new QueryStatus();

  public QueryService(QuerySettings settings) {
    this.settings = settings;
  }

  public QueryStatus status() {
    return status;
  }

  @Override
  public Future<?> start() {
    BookChange.register(vertx.eventBus());
    ReadModel readModel = new ReadModel(MongoClient.createShared(vertx, settings.mongo().clientConfig(), MONGO_POOL),
        settings.mongo().atomicVersionGuard());
    // Read-only and used by the bootstrap alone; a small pool is plenty.
    Pool mysql = settings.mysql().sharedPool(vertx, "cqrs-books-bootstrap");
    return vertx.deployVerticle(() -> new QueryApiVerticle(settings, status),
            new DeploymentOptions().setInstances(settings.instances()))
        .compose(api -> vertx.deployVerticle(new BookEventConsumer(settings.kafka(), readModel, mysql, status,
            settings.bootstrapBatchSize(), settings.readModelCheckEvery())))
        .onSuccess(consumer -> LOG.info("query API listening on port {} ({} instance(s)), read model {}",
            settings.httpPort(), settings.instances(), settings.mongo().database()));
  }

  @Override
  public Future<?> stop() {
    BookChange.unregister(vertx.eventBus());
    return Future.succeededFuture();
  }
}
