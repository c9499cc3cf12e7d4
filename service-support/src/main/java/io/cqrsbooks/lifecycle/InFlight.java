package io.cqrsbooks.lifecycle;

import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The work a part has started and not finished, so that its stop can wait for it before closing what the work
 * uses. Used on the one thread of its verticle's context.
 */
public final class InFlight {

  private final Set<Future<?>> running = new HashSet<>();

  /** Follows the work until it completes, whatever its outcome; returns it, for chaining. */
  public <T> Future<T> track(Future<T> work) {
    if (!work.isComplete()) {
      running.add(work);
      work.onComplete(done -> running.remove(work));
    }
    return work;
  }

  /** How many tracked pieces of work have not completed. */
  public int size() {
    return running.size();
  }

  /** Done once every piece of work tracked so far has completed, whatever its outcome. */
  public Future<Void> settled() {
    return Future.join(List.copyOf(running)).transform(all -> Future.succeededFuture());
  }
}
