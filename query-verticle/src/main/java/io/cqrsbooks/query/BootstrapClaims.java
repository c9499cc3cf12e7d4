package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * Which query process copies the read model when several decide to at once. A copy is claimed with a
 * conditional write on the bootstrap record, so exactly one of them gets it; the copier says it is alive every
 * {@link #HEARTBEAT_EVERY}; the others wait for that copy, and take it over once it has been silent for
 * {@link #STALE_AFTER} (its process died).
 */
final class BootstrapClaims {

  private static final Logger LOG = LoggerFactory.getLogger(BootstrapClaims.class);
  /** How often a copying process says it is alive. */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);
  /** After this long without a word from a copy (by the copier's clock against this one's), another takes it over. */
  static final Duration STALE_AFTER = Duration.ofSeconds(15);
  private static final Duration WAIT_POLL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final ReadModel readModel;
  private final QueryStatus status;
  /** This process's name on the copies it claims. */
  private final String copier = UUID.randomUUID().toString();

  BootstrapClaims(Vertx vertx, ReadModel readModel, QueryStatus status) {
    this.vertx = vertx;
    this.readModel = readModel;
    this.status = status;
  }

  /** This process's claim on a copy: it says it is alive until closed; lost once the record is no longer its own. */
  final class Claim implements AutoCloseable {
    private final String epoch;
    private final long heartbeat;
    private boolean lost;

    private Claim(String epoch) {
      this.epoch = epoch;
      heartbeat = vertx.setPeriodic(HEARTBEAT_EVERY.toMillis(),
          timer -> readModel.heartbeat(epoch, status.bootstrapCopied()).onSuccess(held -> lost |= !held));
    }

    String epoch() {
      return epoch;
    }

    /** Another process took the copy over, or the read model was emptied: a heartbeat found the record changed. */
    boolean isLost() {
      return lost;
    }

    @Override
    public void close() {
      vertx.cancelTimer(heartbeat);
    }
  }

  /**
   * Claims a copy over {@code seen}, the record read when deciding to copy (null: there was none). Completes
   * with null when another process claimed it first: that one copies, and this one should wait for it.
   */
  Future<Claim> claim(JsonObject seen) {
    String epoch = UUID.randomUUID().toString();
    return readModel.claimBootstrap(epoch, copier, seen).map(claimed -> claimed ? new Claim(epoch) : null);
  }

  /** An unfinished copy by another process that said it was alive within {@link #STALE_AFTER}. */
  boolean isAnotherLiveCopy(JsonObject record) {
    return record != null && !record.getBoolean(ReadModel.COMPLETE, false)
        && !copier.equals(record.getString(ReadModel.COPIER))
        && System.currentTimeMillis() - record.getLong(ReadModel.HEARTBEAT_AT, 0L) < STALE_AFTER.toMillis();
  }

  /**
   * Waits while another process copies: /ready says {@code waiting}, with that copy's progress. Completes
   * when the copy finished, or died (no heartbeat for {@link #STALE_AFTER}), or the record changed otherwise.
   */
  Future<Void> waitWhileAnotherCopies(JsonObject record) {
    LOG.info("another query process is copying the read model from MySQL ({} books so far); waiting for its copy",
        record.getLong(ReadModel.COPIED, 0L));
    status.bootstrapWaiting(record.getLong(ReadModel.COPIED, 0L));
    Promise<Void> finished = Promise.promise();
    pollWhileCopying(finished);
    return finished.future();
  }

  private void pollWhileCopying(Promise<Void> finished) {
    vertx.setTimer(WAIT_POLL.toMillis(), timer -> readModel.bootstrapRecord().onComplete(read -> {
      if (read.failed()) {
        finished.fail(read.cause());
      } else if (isAnotherLiveCopy(read.result())) {
        status.bootstrapWaiting(read.result().getLong(ReadModel.COPIED, 0L));
        pollWhileCopying(finished);
      } else {
        LOG.info("the copy this process waited for has {}", describeEnd(read.result()));
        finished.complete();
      }
    }));
  }

  private static String describeEnd(JsonObject record) {
    if (record != null && record.getBoolean(ReadModel.COMPLETE, false)) {
      return "finished";
    }
    return record == null ? "gone (the read model was emptied)" : "stopped saying it is alive";
  }
}
