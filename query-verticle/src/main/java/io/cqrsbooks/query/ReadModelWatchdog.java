package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Watches that MongoDB still holds the read model. Unreachable: the side reports not ready. Back without
 * its bootstrap marker (an in-memory server restarted empty, a database dropped), or with a copy started
 * by another process: it flags a rebuild, which the poll loop runs between batches (the bootstrap copies,
 * or waits for the other process's copy and joins it). It only flags; it never writes.
 */
final class ReadModelWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelWatchdog.class);

  private final ReadModel readModel;
  private final QueryStatus status;
  private final Duration checkEvery;
  private final StreamCoverage stream;
  private boolean rebuildNeeded;
  private boolean topicKnown;

  ReadModelWatchdog(ReadModel readModel, QueryStatus status, Duration checkEvery, StreamCoverage stream) {
    this.readModel = readModel;
    this.status = status;
    this.checkEvery = checkEvery;
    this.stream = stream;
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

  /**
   * A copy made before the command side created the topic records no topic, so nobody could join it; once
   * the topic exists (and this process consumes it from its beginning), the record takes its id.
   */
  private void recordTheTopic() {
    readModel.bootstrapRecord()
        .compose(record -> {
          JsonObject origin = record == null ? null : record.getJsonObject("origin");
          if (origin == null || origin.getString("topicId") != null) {
            topicKnown = origin != null;
            return Future.succeededFuture();
          }
          return stream.check().compose(coverage -> coverage.topicId() == null
              ? Future.succeededFuture()
              : readModel.adoptTopic(coverage.topicId()).onSuccess(adopted -> {
                topicKnown = true;
                LOG.info("the read model follows topic id {} from its beginning", coverage.topicId());
              }));
        })
        .onFailure(failure -> LOG.debug("recording the read model's topic failed: {}", failure.getMessage()));
  }

  private void check() {
    if (rebuildNeeded) {
      return;
    }
    readModel.bootstrapRecord()
        .onSuccess(record -> {
          status.readModelReachable();
          boolean bootstrapped = record != null && record.getBoolean(ReadModel.COMPLETE, false);
          if (!bootstrapped && !rebuildNeeded) {
            if (record == null) {
              LOG.warn("the read model lost its bootstrap marker (MongoDB was emptied); rebuilding it from MySQL");
            } else {
              LOG.info("another query process started copying the read model from MySQL; this one waits for that copy");
            }
            rebuildNeeded = true;
            status.rebuilding();
          } else if (bootstrapped && !topicKnown) {
            recordTheTopic();
          }
        })
        .onFailure(failure -> status.readModelUnreachable("MongoDB unreachable: " + failure.getMessage()));
  }
}
