package io.cqrsbooks.query;

import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.Generation;
import io.cqrsbooks.query.readmodel.Generations;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Function;

/**
 * Rebuilds the read model from MySQL into a new generation while queries keep reading the current one:
 * claim the rebuild (one at a time, across processes) -> every query process applies live events to both
 * generations (each notices within a watchdog period; the copy waits two) -> copy MySQL into the new one
 * -> switch queries to it -> drop the old one two periods later, when no process reads it. A failure at
 * any step leaves the current generation serving and records why.
 */
public final class ReadModelRebuild {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelRebuild.class);
  private static final long HEARTBEAT_MILLIS = 2000;

  private final Vertx vertx;
  private final ReadModel readModel;
  private final Generations generations;
  private final BookProjection projection;
  private final Function<ReadModel, ReadModelBootstrap> copier;
  private final QueryStatus status;
  private final Duration noticePeriod;

  /**
   * @param copier a bootstrap that always copies, into the read model it is given
   * @param noticePeriod how often every query process reads the generations document (the watchdog's period)
   */
  ReadModelRebuild(Vertx vertx, ReadModel readModel, Generations generations, BookProjection projection,
      Function<ReadModel, ReadModelBootstrap> copier, QueryStatus status, Duration noticePeriod) {
    this.vertx = vertx;
    this.readModel = readModel;
    this.generations = generations;
    this.projection = projection;
    this.copier = copier;
    this.status = status;
    this.noticePeriod = noticePeriod;
  }

  /** Starts a rebuild asked for by {@code who}; completes with its record once claimed, 409 if one runs. */
  public Future<JsonObject> start(String who) {
    Generation current = readModel.generation();
    Generation next = current.next();
    return generations.startBuilding(next, who).compose(claimed -> {
      if (!claimed) {
        return generations.read().compose(state -> Future.failedFuture(ApiException.conflict(
            "a rebuild is already running: " + state.rebuild())));
      }
      LOG.info("rebuild of the read model into generation {} asked for by {}", next.number(), who);
      // What an earlier, failed rebuild left of this generation goes before live events are written to it.
      return readModel.drop(next).recover(failure -> generations.failed(next, "could not clear the generation: "
              + failure.getMessage()).transform(recorded -> Future.failedFuture(failure)))
          .compose(cleared -> {
        projection.alsoBuild(next);
        vertx.runOnContext(go -> run(current, next));
        return generations.read();
      }).map(state -> {
        status.generation(current.number(), true, state.rebuild());
        return state.rebuild();
      });
    });
  }

  private void run(Generation current, Generation next) {
    ReadModel target = readModel.at(next);
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, tick -> generations.heartbeat(next, status.bootstrapCopied()));
    later(noticePeriod.multipliedBy(2))
        .compose(everyProcessWritesBoth -> copier.apply(target).run())
        .compose(copied -> generations.switchTo(next, copied).compose(switched -> generations.read()))
        .onComplete(done -> vertx.cancelTimer(heartbeat))
        .onSuccess(state -> {
          readModel.switchTo(next);
          projection.stopBuilding();
          status.generation(next.number(), false, state.rebuild());
          LOG.info("read model rebuilt: {} books copied into generation {}; queries read it now",
              state.rebuild().getLong("copied"), next.number());
          later(noticePeriod.multipliedBy(2)).compose(noneReadsIt -> readModel.drop(current))
              .onSuccess(dropped -> LOG.info("generation {} of the read model dropped", current.number()))
              .onFailure(failure -> LOG.warn("dropping generation {} failed: {}", current.number(), failure.getMessage()));
        })
        .onFailure(failure -> {
          projection.stopBuilding();
          LOG.warn("rebuild into generation {} failed; generation {} keeps serving: {}", next.number(),
              current.number(), failure.getMessage());
          generations.failed(next, String.valueOf(failure.getMessage()))
              .compose(recorded -> generations.read())
              .onSuccess(state -> status.generation(current.number(), false, state.rebuild()))
              .onFailure(unrecorded -> LOG.warn("recording the failed rebuild failed: {}", unrecorded.getMessage()));
        });
  }

  private Future<Void> later(Duration delay) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(Math.max(1, delay.toMillis()), timer -> elapsed.complete());
    return elapsed.future();
  }
}
