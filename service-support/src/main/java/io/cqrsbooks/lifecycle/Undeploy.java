package io.cqrsbooks.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Undeploys a service's parts one after the other. Vert.x undeploys a verticle's children all at once, so a
 * part still working (a relay marking rows, a consumer committing offsets) loses what its neighbours close
 * under it; a service that stops its parts in order first cuts nothing off.
 */
public final class Undeploy {

  private Undeploy() {
  }

  /** Undeploys each deployment after the one before has stopped; a part never deployed (null) is skipped. */
  public static Future<Void> inOrder(Vertx vertx, String... deploymentIds) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : deploymentIds) {
      if (id != null) {
        // A part that failed to stop does not keep the next from stopping.
        chain = chain.transform(previous -> vertx.undeploy(id));
      }
    }
    return chain.transform(last -> Future.succeededFuture());
  }
}
