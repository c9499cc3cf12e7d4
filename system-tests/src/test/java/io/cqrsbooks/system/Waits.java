package io.cqrsbooks.system;

import io.cqrsbooks.embedded.FreePorts;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting in tests: for a future, for a condition with a deadline, for a free port. */
final class Waits {

  private Waits() {
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    awaitTrue(what, timeout, condition, () -> "");
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable lastFailure = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (AssertionError | RuntimeException e) {
        lastFailure = e; // not yet
      }
      sleep(100);
    }
    fail("timed out after " + timeout + " waiting for: " + what + "\n" + context.get()
        + (lastFailure == null ? "" : "\nthe last check failed with: " + lastFailure));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A free port below the ephemeral range: see {@link FreePorts}. */
  static int freePort() {
    return FreePorts.pick();
  }
}
