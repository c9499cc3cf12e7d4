package io.cqrsbooks.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Undeploys a service's parts one after the other. Vert.x undeploys a verticle's children all at once, so a
 * part still working (a relay marking rows, a consumer committing offsets) loses what its neighbours close
 * under it; a service that stops its parts in order first cuts nothing off. A part still stopping after
 * {@link #SLOW_MILLIS} is logged then, and again with its time once stopped, so a slow stop says which part
 * held it.
 */
public final class Undeploy {

  /** A stop step taking longer than this is logged, here and in the launch. */
  public static final long SLOW_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Undeploy.class);

  /** A deployed part and what to call it in the log; a part never deployed has a null id. */
  public record Part(String name, String deploymentId) {
  }

  /** How long a part took to stop, and whether it stopped without failing. */
  public record Stopped(String name, long millis, boolean succeeded) {
  }

  private Undeploy() {
  }

  public static Part part(String name, String deploymentId) {
    return new Part(name, deploymentId);
  }

  /** Undeploys each part after the one before has stopped; a part never deployed is skipped. */
  public static Future<List<Stopped>> inOrder(Vertx vertx, Part... parts) {
    List<Stopped> stopped = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Part part : parts) {
      if (part.deploymentId() != null) {
        // A part that failed to stop does not keep the next from stopping.
        chain = chain.transform(previous -> timed(vertx, part, stopped));
      }
    }
    return chain.transform(last -> Future.succeededFuture(stopped));
  }

  private static Future<Void> timed(Vertx vertx, Part part, List<Stopped> stopped) {
    long started = System.nanoTime();
    // Said while it waits too: a part whose stop never completes would otherwise leave no word at all.
    long stillStopping = vertx.setTimer(SLOW_MILLIS, timer -> LOG.info("the {} is still stopping after {} ms",
        part.name(), SLOW_MILLIS));
    return vertx.undeploy(part.deploymentId()).andThen(done -> {
      vertx.cancelTimer(stillStopping);
      long millis = (System.nanoTime() - started) / 1_000_000;
      stopped.add(new Stopped(part.name(), millis, done.succeeded()));
      if (millis > SLOW_MILLIS) {
        LOG.info("stopping the {} took {} ms", part.name(), millis);
      }
    });
  }
}
