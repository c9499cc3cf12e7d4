package io.cqrsbooks.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A service's parts stop one after the other, each timed, a failing one not keeping the next from stopping. */
class UndeployTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A part whose stop takes {@code millis}, and fails if asked to. */
  private final class Part extends VerticleBase {
    private final String name;
    private final long millis;
    private final boolean fails;

    Part(String name, long millis, boolean fails) {
      this.name = name;
      this.millis = millis;
      this.fails = fails;
    }

    @Override
    public Future<?> stop() {
      events.add(name + " stopping");
      Promise<Void> stopped = Promise.promise();
      vertx.setTimer(millis, timer -> {
        events.add(name + " stopped");
        if (fails) {
          stopped.fail("could not stop " + name);
        } else {
          stopped.complete();
        }
      });
      return stopped.future();
    }
  }

  private String deploy(String name, long stopMillis, boolean fails) throws Exception {
    return vertx.deployVerticle(new Part(name, stopMillis, fails)).await(10, TimeUnit.SECONDS);
  }

  @Test
  void eachPartStopsAfterTheOneBeforeAndSaysHowLongItTook() throws Exception {
    Undeploy.Part api = Undeploy.part("api", deploy("api", 300, false));
    Undeploy.Part relay = Undeploy.part("relay", deploy("relay", 50, false));

    List<Undeploy.Stopped> stopped = Undeploy.inOrder(vertx, api, Undeploy.part("never deployed", null), relay)
        .await(10, TimeUnit.SECONDS);

    assertEquals(List.of("api stopping", "api stopped", "relay stopping", "relay stopped"), events);
    assertEquals(List.of("api", "relay"), stopped.stream().map(Undeploy.Stopped::name).toList());
    assertTrue(stopped.get(0).millis() >= 300, stopped::toString);
    assertTrue(stopped.get(0).succeeded() && stopped.get(1).succeeded(), stopped::toString);
  }

  @Test
  void aPartThatFailsToStopDoesNotKeepTheNextFromStopping() throws Exception {
    Undeploy.Part failing = Undeploy.part("consumer", deploy("consumer", 10, true));
    Undeploy.Part api = Undeploy.part("api", deploy("api", 10, false));

    List<Undeploy.Stopped> stopped = Undeploy.inOrder(vertx, failing, api).await(10, TimeUnit.SECONDS);

    assertFalse(stopped.get(0).succeeded(), stopped::toString);
    assertTrue(stopped.get(1).succeeded(), stopped::toString);
    assertEquals(List.of("consumer stopping", "consumer stopped", "api stopping", "api stopped"), events);
  }
}
