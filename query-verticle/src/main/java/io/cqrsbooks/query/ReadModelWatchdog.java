package io.cqrsbooks.query;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Watches that MongoDB still holds the read model. Unreachable: the side reports not ready. Back without
 * its bootstrap marker (an in-memory server restarted empty, a database dropped): it flags a rebuild,
 * which the poll loop runs between batches. It only flags; it never writes.
 */
final class ReadModelWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelWatchdog.class);

  private final ReadModel readModel;
  private final QueryStatus status;
  private final Duration checkEvery;
  private boolean rebuildNeeded;

  ReadModelWatchdog(ReadModel readModel, QueryStatus status, Duration checkEvery) {
    this.readModel = readModel;
    this.status = status;
    this.checkEvery = checkEvery;
  }

  void start(Vertx vertx) {
    vertx.setPeriodic(checkEvery.toMillis(), timer -> check());
  }

  boolean rebuildNeeded() {
    return rebuildNeeded;
  }

  void rebuilt() {
    rebuildNeeded = false;
  }

  private void check() {
    if (rebuildNeeded) {
      return;
    }
    readModel.isBootstrapped()
        .onSuccess(bootstrapped -> {
          status.readModelReachable();
          if (!bootstrapped && !rebuildNeeded) {
            LOG.warn("the read model lost its bootstrap marker (MongoDB was emptied); rebuilding it from MySQL");
            rebuildNeeded = true;
            status.rebuilding();
          }
        })
        .onFailure(failure -> status.readModelUnreachable("MongoDB unreachable: " + failure.getMessage()));
  }
}
