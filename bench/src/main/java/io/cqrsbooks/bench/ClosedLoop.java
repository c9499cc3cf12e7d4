package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A closed-loop load: {@code concurrency} virtual clients, each sending its next request as soon as the
 * previous one answers. A warm-up period runs first and is not counted. Runs on the event loop.
 */
final class ClosedLoop {

  private final Vertx vertx;

  ClosedLoop(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The operation answers true for success (e.g. a 2xx), false for a failure worth counting. */
  Future<LoadResult> run(String name, int concurrency, Duration warmUp, Duration measured,
                         Supplier<Future<Boolean>> operation) {
    Promise<LoadResult> done = Promise.promise();
    vertx.runOnContext(start -> {
      Histogram histogram = new Histogram(60_000_000L, 3);
      long begin = System.nanoTime();
      long measureFrom = begin + warmUp.toNanos();
      long measureUntil = measureFrom + measured.toNanos();
      long[] counts = new long[2];
      int[] running = {concurrency};
      for (int client = 0; client < concurrency; client++) {
        loop(operation, histogram, measureFrom, measureUntil, counts, () -> {
          if (--running[0] == 0) {
            done.complete(LoadResult.of(name, concurrency, counts[0], counts[1],
                measured.toNanos() / 1e9, histogram));
          }
        });
      }
    });
    return done.future();
  }

  /** Runs {@code total} operations with {@code concurrency} in flight; fails on the first failure. */
  Future<Void> runTimes(int concurrency, long total, Supplier<Future<?>> operation) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(start -> {
      long[] started = {0};
      int[] running = {concurrency};
      for (int client = 0; client < concurrency; client++) {
        next(operation, total, started, done, () -> {
          if (--running[0] == 0) {
            done.tryComplete();
          }
        });
      }
    });
    return done.future();
  }

  private void next(Supplier<Future<?>> operation, long total, long[] started, Promise<Void> done, Runnable finished) {
    if (started[0] >= total || done.future().isComplete()) {
      finished.run();
      return;
    }
    started[0]++;
    operation.get().onComplete(result -> {
      if (result.failed()) {
        done.tryFail(result.cause());
      }
      // Back on the event loop's queue, so a run of synchronous completions cannot grow the stack.
      vertx.runOnContext(again -> next(operation, total, started, done, finished));
    });
  }

  private void loop(Supplier<Future<Boolean>> operation, Histogram histogram, long measureFrom, long measureUntil,
                    long[] counts, Runnable finished) {
    long sent = System.nanoTime();
    if (sent >= measureUntil) {
      finished.run();
      return;
    }
    operation.get().onComplete(result -> {
      long now = System.nanoTime();
      if (sent >= measureFrom && now <= measureUntil) {
        if (result.succeeded() && result.result()) {
          counts[0]++;
          histogram.recordValue(Math.max(1, (now - sent) / 1000));
        } else {
          counts[1]++;
        }
      }
      loop(operation, histogram, measureFrom, measureUntil, counts, finished);
    });
  }
}
