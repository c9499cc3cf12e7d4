package io.cqrsbooks.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a stop waits for: the work under way, not the work already done, whatever its outcome. */
class InFlightTest {

  @Test
  void settledWaitsUntilEveryPieceOfWorkUnderWayHasCompleted() {
    InFlight inFlight = new InFlight();
    Promise<String> first = Promise.promise();
    Promise<Void> second = Promise.promise();
    inFlight.track(first.future());
    inFlight.track(second.future());

    Future<Void> settled = inFlight.settled();
    assertEquals(2, inFlight.size());
    first.complete("done");
    assertFalse(settled.isComplete(), "settled before the second piece of work completed");
    second.complete();
    assertTrue(settled.succeeded());
    assertEquals(0, inFlight.size());
  }

  @Test
  void failedWorkCountsAsSettledAndSettledStillSucceeds() {
    InFlight inFlight = new InFlight();
    Promise<Void> failing = Promise.promise();
    Future<Void> tracked = inFlight.track(failing.future());

    Future<Void> settled = inFlight.settled();
    failing.fail("the connection was closed");
    assertTrue(tracked.failed(), "track hands back the work itself, outcome included");
    assertTrue(settled.succeeded());
    assertEquals(0, inFlight.size());
  }

  @Test
  void nothingUnderWayIsSettledAtOnce() {
    InFlight inFlight = new InFlight();
    inFlight.track(Future.succeededFuture("already done"));

    assertEquals(0, inFlight.size());
    assertTrue(inFlight.settled().succeeded());
  }
}
