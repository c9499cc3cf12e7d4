package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.Generation;
import io.cqrsbooks.query.readmodel.Generations;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Keeps this process on the generation every query process reads, wherever the rebuild runs: it switches
 * queries forward when a rebuild finished, and applies live events to a generation being built. Generations
 * only move forward, except when the document is gone (the database was emptied): then back to the first.
 */
final class GenerationFollower {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationFollower.class);

  private final ReadModel readModel;
  private final Generations generations;
  private final BookProjection projection;
  private final QueryStatus status;

  GenerationFollower(ReadModel readModel, Generations generations, BookProjection projection, QueryStatus status) {
    this.readModel = readModel;
    this.generations = generations;
    this.projection = projection;
    this.status = status;
  }

  void start(Vertx vertx, Duration every) {
    vertx.setPeriodic(every.toMillis(), tick -> follow()
        .onFailure(failure -> LOG.debug("reading the read model's generations failed: {}", failure.getMessage())));
  }

  Future<Void> follow() {
    return generations.read().map(state -> {
      Generation mine = readModel.generation();
      boolean emptied = state.rebuild() == null && state.current().number() == 0;
      if (state.current().number() > mine.number() || (emptied && mine.number() != 0)) {
        readModel.switchTo(state.current());
        LOG.info("queries read generation {} of the read model now", state.current().number());
      }
      state.building().ifPresentOrElse(projection::alsoBuild, projection::stopBuilding);
      status.generation(readModel.generation().number(), state.building().isPresent(), state.rebuild());
      return null;
    });
  }
}
