package io.cqrsbooks.query;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;

/** Waiting from a test's thread for what the services do on their event loops, with a bound. */
final class Waits {

  private static final long LIMIT_SECONDS = 90;

  private Waits() {
  }

  /** A condition that may ask the servers, and so may throw. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} every 20 ms until it holds; fails saying {@code what} after 90 s. */
  static void awaitTrue(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(LIMIT_SECONDS, TimeUnit.SECONDS);
  }
}
