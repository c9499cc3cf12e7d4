package io.cqrsbooks.query;

import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a query until the read model has applied the command behind a consistency token, at most
 * for the configured time. Woken by locally applied changes; re-checks MongoDB periodically too, for
 * changes applied by another query instance.
 */
final class ConsistencyWaiter {

  private static final long RECHECK_MILLIS = 100;

  private final Vertx vertx;
  private final ReadModel readModel;
  private final Duration timeout;
  private final Map<Long, List<Waiting>> waitingByBid = new HashMap<>();

  private record Waiting(ConsistencyToken token, Promise<Void> promise, long deadline) {
  }

  ConsistencyWaiter(Vertx vertx, ReadModel readModel, Duration timeout) {
    this.vertx = vertx;
    this.readModel = readModel;
    this.timeout = timeout;
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS,
        message -> applied(message.body().bid(), message.body().version()));
  }

  /** Succeeds once every token is satisfied; fails with the first 503 otherwise. */
  Future<Void> awaitAll(List<ConsistencyToken> tokens) {
    if (tokens.size() == 1) {
      return await(tokens.get(0));
    }
    return Future.all(tokens.stream().map(this::await).toList()).mapEmpty();
  }

  Future<Void> await(ConsistencyToken token) {
    Waiting waiting = new Waiting(token, Promise.promise(), System.nanoTime() + timeout.toNanos());
    // Registered before the first look, so a change applied in between still wakes it.
    waitingByBid.computeIfAbsent(token.bid(), bid -> new ArrayList<>()).add(waiting);
    check(waiting);
    return waiting.promise().future();
  }

  private void check(Waiting waiting) {
    if (waiting.promise().future().isComplete()) {
      return;
    }
    readModel.visibleVersion(waiting.token().bid()).onComplete(result -> {
      if (result.succeeded() && waiting.token().isSatisfiedBy(result.result())) {
        settle(waiting, null);
      } else if (System.nanoTime() >= waiting.deadline()) {
        settle(waiting, new ApiException(503, "the read model has not applied that command yet; try again",
            List.of()));
      } else {
        vertx.setTimer(RECHECK_MILLIS, timer -> check(waiting));
      }
    });
  }

  private void applied(long bid, long version) {
    List<Waiting> waiting = waitingByBid.get(bid);
    if (waiting == null) {
      return;
    }
    for (Waiting w : List.copyOf(waiting)) {
      if (w.token().isSatisfiedBy(version)) {
        settle(w, null);
      }
    }
  }

  private void settle(Waiting waiting, ApiException failure) {
    List<Waiting> forBook = waitingByBid.get(waiting.token().bid());
    if (forBook != null) {
      forBook.remove(waiting);
      if (forBook.isEmpty()) {
        waitingByBid.remove(waiting.token().bid());
      }
    }
    if (failure == null) {
      waiting.promise().tryComplete();
    } else {
      waiting.promise().tryFail(failure);
    }
  }
}
