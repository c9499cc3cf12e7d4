package io.cqrsbooks.command;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the outbox relay tells the command API about itself, for {@code /status}; shared within one JVM.
 * A drain that has run longer than {@code stalledAfter} is reported as stalled: the Kafka producer waits
 * (up to its delivery timeout) rather than fail at once when the broker is gone.
 */
public final class RelayStatus {

  private final Duration stalledAfter;
  private volatile boolean holdsLease;
  private volatile String pausedBecause;
  private volatile Instant pausedSince;
  private volatile Instant drainStarted;
  private volatile Instant lastPublishedAt;
  private final AtomicLong eventsPublished = new AtomicLong();

  public RelayStatus(Duration stalledAfter) {
    this.stalledAfter = stalledAfter;
  }

  void lease(boolean held) {
    holdsLease = held;
  }

  void drainStarted() {
    drainStarted = Instant.now();
  }

  void drainEnded() {
    drainStarted = null;
  }

  void published(int count) {
    eventsPublished.addAndGet(count);
    lastPublishedAt = Instant.now();
  }

  void paused(String reason) {
    if (pausedBecause == null) {
      pausedSince = Instant.now();
    }
    pausedBecause = reason;
  }

  boolean holdsLease() {
    return holdsLease;
  }

  long eventsPublished() {
    return eventsPublished.get();
  }

  boolean isPaused() {
    return pausedBecause != null;
  }

  void resumed() {
    pausedBecause = null;
    pausedSince = null;
  }

  /**
   * {@code standby} (another process holds the lease), {@code publishing}, {@code stalled} (a drain is
   * waiting longer than expected, e.g. for Kafka) or {@code paused} (the last drain failed; retried each tick).
   */
  public String state() {
    if (pausedBecause != null) {
      return "paused";
    }
    Instant started = drainStarted;
    if (holdsLease && started != null && Duration.between(started, Instant.now()).compareTo(stalledAfter) > 0) {
      return "stalled";
    }
    return holdsLease ? "publishing" : "standby";
  }

  public JsonObject toJson() {
    Instant started = drainStarted;
    String state = state();
    JsonObject json = new JsonObject()
        .put("state", state)
        .put("holdsLease", holdsLease)
        .put("eventsPublished", eventsPublished.get())
        .put("lastPublishedAt", lastPublishedAt == null ? null : lastPublishedAt.toString());
    if (state.equals("paused")) {
      json.put("reason", pausedBecause).put("since", String.valueOf(pausedSince));
    } else if (state.equals("stalled")) {
      json.put("reason", "a drain has waited " + Duration.between(started, Instant.now()).toMillis()
          + " ms for Kafka or MySQL").put("since", started.toString());
    }
    return json;
  }
}
