package io.cqrsbooks.query.api;

import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.query.BookChange;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a query until the read model has applied the commands behind its consistency tokens, at most for
 * the configured time. Woken by locally applied changes; re-checks MongoDB periodically too, for changes
 * applied by another query instance, with one lookup for all of a query's tokens still pending.
 */
final class ConsistencyWaiter {

  private static final long RECHECK_MILLIS = 100;

  private final Vertx vertx;
  private final ReadModel readModel;
  private final Duration timeout;
  private final Map<Long, List<Waiting>> waitingByBid = new HashMap<>();

  /**
   * One waiting query: the books it is registered under, and its tokens not yet satisfied ({@code pending}
   * shrinks; only this verticle's event loop touches it).
   */
  private record Waiting(List<Long> bids, List<ConsistencyToken> pending, Promise<Void> promise, long deadline) {
  }

  ConsistencyWaiter(Vertx vertx, ReadModel readModel, Duration timeout) {
    this.vertx = vertx;
    this.readModel = readModel;
    this.timeout = timeout;
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS,
        message -> applied(message.body().bid(), message.body().version()));
  }

  /** Succeeds once every token is satisfied; fails with a 503 when the time is up first. */
  Future<Void> awaitAll(List<ConsistencyToken> tokens) {
    List<Long> bids = tokens.stream().map(ConsistencyToken::bid).distinct().toList();
    Waiting waiting = new Waiting(bids, new ArrayList<>(tokens), Promise.promise(),
        System.nanoTime() + timeout.toNanos());
    // Registered before the first look, so a change applied in between still wakes it.
    for (long bid : bids) {
      waitingByBid.computeIfAbsent(bid, key -> new ArrayList<>()).add(waiting);
    }
    check(waiting);
    return waiting.promise().future();
  }

  private void check(Waiting waiting) {
    if (waiting.promise().future().isComplete()) {
      return;
    }
    List<Long> bids = waiting.pending().stream().map(ConsistencyToken::bid).distinct().toList();
    readModel.visibleVersions(bids).onComplete(result -> {
      if (result.succeeded()) {
        waiting.pending().removeIf(token -> token.isSatisfiedBy(result.result().getOrDefault(token.bid(), 0L)));
      }
      if (waiting.pending().isEmpty()) {
        settle(waiting, null);
      } else if (System.nanoTime() >= waiting.deadline()) {
        settle(waiting, ApiException.unavailable("the read model has not applied that command yet; try again"));
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
      w.pending().removeIf(token -> token.bid() == bid && token.isSatisfiedBy(version));
      if (w.pending().isEmpty()) {
        settle(w, null);
      }
    }
  }

  private void settle(Waiting waiting, ApiException failure) {
    if (waiting.promise().future().isComplete()) {
      return;
    }
    for (long bid : waiting.bids()) {
      List<Waiting> forBook = waitingByBid.get(bid);
      if (forBook != null) {
        forBook.remove(waiting);
        if (forBook.isEmpty()) {
          waitingByBid.remove(bid);
        }
      }
    }
    if (failure == null) {
      waiting.promise().complete();
    } else {
      waiting.promise().fail(failure);
    }
  }
}
