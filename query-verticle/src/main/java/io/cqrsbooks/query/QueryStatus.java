package io.cqrsbooks.query;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the consumer tells the API verticles about the read model's state; shared within one JVM. */
public final class QueryStatus {

  private volatile boolean bootstrapped;
  private volatile boolean consuming;
  private volatile String problem;
  private volatile String readModelProblem;
  private volatile String bootstrapMode = "pending";
  private volatile int partitionsAssigned;
  private volatile Instant lastAppliedEventTime;
  private volatile Map<Integer, Long> lag = Map.of();
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong bootstrapCopied = new AtomicLong();
  private final AtomicLong eventsApplied = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong openStreams = new AtomicLong();
  private volatile long bootstrapStartedNanos;
  private volatile double bootstrapRate;
  private volatile int generation;
  private volatile boolean rebuilding;
  private volatile JsonObject lastRebuild;

  /** A copy from MySQL begins: progress and rate count from here. */
  void bootstrapStarted() {
    bootstrapStartedNanos = System.nanoTime();
    bootstrapCopied.set(0);
    bootstrapRate = 0;
  }

  void bootstrapProgress(long copied) {
    bootstrapCopied.set(copied);
    double seconds = (System.nanoTime() - bootstrapStartedNanos) / 1e9;
    bootstrapRate = seconds > 0 ? copied / seconds : 0;
  }

  /** The generation queries read, whether a rebuild is writing the next, and the last rebuild's record. */
  void generation(int current, boolean building, JsonObject rebuild) {
    generation = current;
    rebuilding = building;
    lastRebuild = rebuild == null ? null : rebuild.copy();
  }

  int generation() {
    return generation;
  }

  boolean isRebuilding() {
    return rebuilding;
  }

  void bootstrapped() {
    bootstrapped = true;
  }

  /** How the last bootstrap made the read model current: {@code copied} from MySQL, or {@code joined} as it was. */
  void bootstrapMode(String mode) {
    bootstrapMode = mode;
  }

  /** Joined as it was: this process copied nothing. */
  void bootstrapJoined() {
    bootstrapMode = "joined";
    bootstrapCopied.set(0);
    bootstrapRate = 0;
  }

  /** Waiting for another process's copy, which has copied {@code copiedThere} books so far. */
  void bootstrapWaiting(long copiedThere) {
    bootstrapMode = "waiting";
    bootstrapCopied.set(copiedThere);
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

  /** A batch applied; {@code newestEventTime} is the latest event time among its applied events (null: none). */
  void applied(long count, Instant newestEventTime) {
    eventsApplied.addAndGet(count);
    if (newestEventTime != null) {
      lastAppliedEventTime = newestEventTime;
    }
  }

  /** Records between this consumer's position and each assigned partition's end: {partition: records}. */
  void lag(Map<Integer, Long> behindPerPartition) {
    lag = Map.copyOf(behindPerPartition);
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

  long eventsApplied() {
    return eventsApplied.get();
  }

  long bootstrapCopied() {
    return bootstrapCopied.get();
  }

  /** Books per second of the current or last copy from MySQL. */
  double bootstrapRate() {
    return bootstrapRate;
  }

  long openStreams() {
    return openStreams.get();
  }

  int partitionsAssigned() {
    return partitionsAssigned;
  }

  /** The partitions the last lag measurement covered. */
  Set<Integer> lagPartitions() {
    return lag.keySet();
  }

  /** Records behind on one partition; NaN when this consumer does not hold it now. */
  double lagOf(int partition) {
    Long behind = lag.get(partition);
    return behind == null ? Double.NaN : behind;
  }

  private JsonObject lagJson() {
    Map<Integer, Long> current = lag;
    JsonObject partitions = new JsonObject();
    new TreeMap<>(current).forEach((partition, behind) -> partitions.put(String.valueOf(partition), behind));
    return new JsonObject()
        .put("total", current.values().stream().mapToLong(Long::longValue).sum())
        .put("partitions", partitions);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("bootstrapped", bootstrapped)
        .put("bootstrapMode", bootstrapMode)
        .put("bootstrapCopied", bootstrapCopied.get())
        .put("bootstrapBooksPerSecond", Math.round(bootstrapRate))
        .put("partitionsAssigned", partitionsAssigned)
        .put("consuming", consuming)
        .put("eventsApplied", eventsApplied.get())
        .put("deadLetters", deadLetters.get())
        .put("rebuilds", rebuilds.get())
        .put("generation", generation)
        .put("rebuilding", rebuilding)
        .put("lastRebuild", lastRebuild)
        .put("openStreams", openStreams.get())
        .put("lastAppliedEventTime", lastAppliedEventTime == null ? null : lastAppliedEventTime.toString())
        .put("lag", lagJson())
        .put("problem", problem != null ? problem : readModelProblem);
  }
}
