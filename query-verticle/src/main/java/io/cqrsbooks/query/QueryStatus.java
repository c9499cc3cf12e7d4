package io.cqrsbooks.query;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/** What the consumer tells the API verticles about the read model's state; shared within one JVM. */
public final class QueryStatus {

  private volatile boolean bootstrapped;
  private volatile boolean consuming;
  private volatile String problem;
  private volatile String readModelProblem;
  private volatile String bootstrapMode = "pending";
  private volatile int partitionsAssigned;
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong bootstrapCopied = new AtomicLong();
  private final AtomicLong eventsApplied = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong openStreams = new AtomicLong();

  void bootstrapProgress(long copied) {
    bootstrapCopied.set(copied);
  }

  void bootstrapped() {
    bootstrapped = true;
  }

  /** How the last bootstrap made the read model current: {@code copied} from MySQL, or {@code joined} as it was. */
  void bootstrapMode(String mode) {
    bootstrapMode = mode;
  }

  void partitionsAssigned(int count) {
    partitionsAssigned = count;
  }

  void consuming() {
    consuming = true;
    problem = null;
  }

  void problem(String description) {
    problem = description;
  }

  /** The bootstrap marker is gone: not ready until the rebuild from MySQL completes. */
  void rebuilding() {
    bootstrapped = false;
    rebuilds.incrementAndGet();
  }

  void readModelReachable() {
    readModelProblem = null;
  }

  void readModelUnreachable(String description) {
    readModelProblem = description;
  }

  void clearProblem() {
    problem = null;
  }

  void applied(long count) {
    eventsApplied.addAndGet(count);
  }

  public void streamOpened() {
    openStreams.incrementAndGet();
  }

  public void streamClosed() {
    openStreams.decrementAndGet();
  }

  void deadLettered() {
    deadLetters.incrementAndGet();
  }

  public boolean isReady() {
    return bootstrapped && consuming && problem == null && readModelProblem == null;
  }

  public long deadLetters() {
    return deadLetters.get();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("bootstrapped", bootstrapped)
        .put("bootstrapMode", bootstrapMode)
        .put("bootstrapCopied", bootstrapCopied.get())
        .put("partitionsAssigned", partitionsAssigned)
        .put("consuming", consuming)
        .put("eventsApplied", eventsApplied.get())
        .put("deadLetters", deadLetters.get())
        .put("rebuilds", rebuilds.get())
        .put("openStreams", openStreams.get())
        .put("problem", problem != null ? problem : readModelProblem);
  }
}
