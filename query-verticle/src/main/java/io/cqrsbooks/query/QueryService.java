package io.cqrsbooks.query;

import io.cqrsbooks.lifecycle.Undeploy;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.query.api.QueryApiVerticle;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.DeadLetterStore;
import io.cqrsbooks.query.readmodel.Generations;
import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.cqrsbooks.store.StoredBooks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The query side, composed here: the HTTP API (started first, so health is answered at once, with the
 * admin routes), the change feed that announces every applied change to it, the consumer, which bootstraps
 * the read model from MySQL and then follows the event stream, and the follower that keeps this process
 * on the generation of the read model every query process reads.
 */
public final class QueryService extends VerticleBase {

  private static final String MONGO_POOL = "cqrs-books-read-model";
  /** Change data the replay window holds at most, whatever its count allows. */
  private static final long REPLAY_WINDOW_BYTES = 32L * 1024 * 1024;
  /** A rebuild whose runner has not reported for this long is taken as dead, and another may start. */
  private static final Duration REBUILD_STALE_AFTER = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  private final QuerySettings settings;
  private final Optional<String> localCommandToken;
  private final Metrics metrics;
  private final QueryStatus status = new QueryStatus();
  private final ChangeWindow window;
  private String apiDeployment;
  private String feedDeployment;
  private String consumerDeployment;

  /**
   * @param localCommandToken in the embedded launch, the token the UI gets when its browser is on this machine
   */
  public QueryService(QuerySettings settings, Optional<String> localCommandToken, Metrics metrics) {
    this.settings = settings;
    this.localCommandToken = localCommandToken;
    this.metrics = metrics;
    this.window = new ChangeWindow(settings.changeReplayWindow(), REPLAY_WINDOW_BYTES);
  }

  public QueryStatus status() {
    return status;
  }

  @Override
  public Future<?> start() {
    BookChange.register(vertx.eventBus());
    MongoClient mongo = MongoClient.createShared(vertx, settings.mongo().clientConfig(), MONGO_POOL);
    ReadModel readModel = new ReadModel(mongo, settings.mongo().atomicVersionGuard(),
        new Partitioning(settings.kafka().partitions()));
    QueryMetrics meters = new QueryMetrics(metrics.registry(), status);
    // Read-only, used by the bootstrap and the rebuild.
    StoredBooks mysql = new StoredBooks(settings.mysql().sharedPool(vertx, "cqrs-books-bootstrap"));
    StreamCoverage stream = new StreamCoverage(vertx, settings.kafka());
    BookProjection projection = new BookProjection(readModel);
    DeadLetters deadLetters = new DeadLetters(new DeadLetterStore(mongo), projection, status);
    Generations generations = new Generations(mongo, REBUILD_STALE_AFTER);
    GenerationFollower follower = new GenerationFollower(readModel, generations, projection, status);
    ReadModelBootstrap bootstrap = new ReadModelBootstrap(vertx, mysql, readModel, status, settings.bootstrapBatchSize(), stream,
        settings.kafka().groupId(), settings.joinCurrentReadModel());
    ReadModelRebuild rebuild = new ReadModelRebuild(vertx, readModel, generations, projection,
        target -> new ReadModelBootstrap(vertx, mysql, target, status, settings.bootstrapBatchSize(), stream,
            settings.kafka().groupId(), false),
        status, settings.readModelCheckEvery());
    BookEventConsumer consumer = new BookEventConsumer(settings.kafka(), bootstrap, projection, deadLetters,
        new PartitionCounts(readModel),
        new ReadModelWatchdog(readModel, status, settings.readModelCheckEvery(), stream), status, meters);
    Operations operations = new Operations(deadLetters, rebuild);
    // Queries start on the generation the others read (MongoDB may still be away: the follower catches up).
    return follower.follow().recover(away -> Future.succeededFuture())
        .compose(followed -> vertx.deployVerticle(() -> new QueryApiVerticle(settings, localCommandToken, status, window,
                readModel, meters, metrics, operations),
            new DeploymentOptions().setInstances(settings.instances())))
        .onSuccess(id -> apiDeployment = id)
        .compose(api -> vertx.deployVerticle(new ChangeFeed(settings.kafka(), window, meters)))
        .onSuccess(id -> feedDeployment = id)
        .compose(feed -> vertx.deployVerticle(consumer))
        .onSuccess(id -> consumerDeployment = id)
        .onSuccess(deployed -> follower.start(vertx, settings.readModelCheckEvery()))
        .onSuccess(deployed -> meters.startSampling(vertx, readModel))
        .onSuccess(deployed -> LOG.info("query API listening on port {} ({} instance(s)), read model {}",
            settings.httpPort(), settings.instances(), settings.mongo().database()));
  }

  /**
   * Stops in the order that cuts nothing off: the consumer first (it commits what it applied), then the
   * change feed that announces to the API, then the API. Undeploying the service alone stops its parts all
   * at once: the feed then announced to streams already gone, and a batch was applied on a closed client.
   */
  public Future<Void> stopInOrder() {
    return Undeploy.inOrder(vertx, Undeploy.part("event consumer", consumerDeployment),
        Undeploy.part("change feed", feedDeployment), Undeploy.part("query API", apiDeployment)).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    BookChange.unregister(vertx.eventBus());
    return Future.succeededFuture();
  }
}
