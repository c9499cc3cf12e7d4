package io.cqrsbooks.query.api;

import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.query.RealMongo;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-your-writes on a real MongoDB-wire server. The writes here go straight to the read model, as another
 * query process's consumer would make them, so nothing is announced on this process's event bus: the waiter
 * must find them by re-checking MongoDB.
 */
@ExtendWith(VertxExtension.class)
class ConsistencyWaiterTest {

  private ReadModel readModel;
  private Context context;
  private ConsistencyWaiter waiter;

  @BeforeEach
  void waiterOnAnEventLoop(Vertx vertx) throws Exception {
    readModel = new ReadModel(RealMongo.newDatabase(vertx), false, new Partitioning(3));
    context = vertx.getOrCreateContext();
    waiter = onContext(() -> Future.succeededFuture(new ConsistencyWaiter(vertx, readModel, Duration.ofMillis(1500))));
  }

  @Test
  void aQueryIsHeldUntilAnotherProcessAppliesTheCommandThenReleased() throws Exception {
    await(readModel.write(List.of(book(1, 1)), Map.of()));
    Future<Void> waiting = onContextFuture(() -> waiter.awaitAll(List.of(new ConsistencyToken(1, 2))));
    Thread.sleep(400);
    assertFalse(waiting.isComplete(), "released before the read model held version 2");

    long appliedAt = System.nanoTime();
    await(readModel.write(List.of(book(1, 2)), Map.of()));
    await(waiting);
    long releasedAfterMillis = (System.nanoTime() - appliedAt) / 1_000_000;
    assertTrue(releasedAfterMillis < 1000, "released " + releasedAfterMillis + " ms after the write");
  }

  @Test
  void aDeletionSatisfiesATokenThroughItsTombstoneAndAnAlreadyNewerBookAtOnce() throws Exception {
    await(readModel.write(List.of(book(2, 5)), Map.of(3L, 4L)));
    await(onContextFuture(() -> waiter.awaitAll(List.of(new ConsistencyToken(2, 3), new ConsistencyToken(3, 4)))));
  }

  @Test
  void aCommandNeverAppliedFailsTheQueryWith503AfterTheTimeout() throws Exception {
    long started = System.nanoTime();
    Future<Void> waiting = onContextFuture(() -> waiter.awaitAll(List.of(new ConsistencyToken(9, 1))));
    ExecutionException failure = assertThrows(ExecutionException.class, () -> waiting.toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(failure.getCause() instanceof ApiException, String.valueOf(failure.getCause()));
    assertEquals(503, ((ApiException) failure.getCause()).status());
    assertTrue(waitedMillis >= 1500 && waitedMillis < 3000, "gave up after " + waitedMillis + " ms");
  }

  /** The waiter's state belongs to one event loop, as in the API verticle. */
  private <T> T onContext(java.util.function.Supplier<Future<T>> action) throws Exception {
    return await(onContextFuture(action));
  }

  private <T> Future<T> onContextFuture(java.util.function.Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(ignored -> action.get().onComplete(result));
    return result.future();
  }

  private static Book book(long bid, long version) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    return new Book(bid, "Book " + bid, "An Author", "tests", 10, 100, LocalDate.of(2020, 1, 1), "", null, version, at, at);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
