package io.cqrsbooks.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command side's meters: commands accepted and rejected (by reason), the relay's lease, state and
 * published events, and the outbox backlog, sampled from MySQL every {@link #BACKLOG_EVERY}.
 */
final class CommandMetrics {

  static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);
  private static final List<String> RELAY_STATES = List.of("publishing", "standby", "stalled", "paused");

  private final MeterRegistry registry;
  private final Map<String, Counter> commands = new ConcurrentHashMap<>();
  private volatile double unpublished = Double.NaN;
  private volatile double oldestUnpublishedSeconds = Double.NaN;

  CommandMetrics(MeterRegistry registry, RelayStatus relay) {
    this.registry = registry;
    FunctionCounter.builder("cqrs.relay.events.published", relay, RelayStatus::eventsPublished)
        .description("Events this process's relay published to Kafka").register(registry);
    Gauge.builder("cqrs.relay.lease.held", relay, status -> status.holdsLease() ? 1 : 0)
        .description("1 while this process holds the relay lease (exactly one process should)").register(registry);
    for (String state : RELAY_STATES) {
      Gauge.builder("cqrs.relay.state", relay, status -> status.state().equals(state) ? 1 : 0)
          .tag("state", state).description("1 for the relay's current state").register(registry);
    }
    Gauge.builder("cqrs.outbox.unpublished", this, metrics -> metrics.unpublished)
        .description("Outbox rows not yet published to Kafka").register(registry);
    Gauge.builder("cqrs.outbox.oldest.unpublished.age", this, metrics -> metrics.oldestUnpublishedSeconds)
        .baseUnit("seconds").description("Age of the oldest unpublished outbox row (0 when none)").register(registry);
  }

  /** Samples the outbox backlog now and every {@link #BACKLOG_EVERY}; returns the timer's id. */
  long sampleBacklog(Vertx vertx, Pool pool) {
    sampleBacklogOnce(pool);
    return vertx.setPeriodic(BACKLOG_EVERY.toMillis(), timer -> sampleBacklogOnce(pool));
  }

  private void sampleBacklogOnce(Pool pool) {
    pool.query(CommandSql.OUTBOX_BACKLOG).execute().onComplete(backlog -> {
      if (backlog.failed()) {
        unpublished = Double.NaN;
        oldestUnpublishedSeconds = Double.NaN;
        return;
      }
      Row row = backlog.result().iterator().next();
      LocalDateTime oldest = row.getLocalDateTime(1);
      unpublished = row.getLong(0);
      oldestUnpublishedSeconds = oldest == null ? 0
          : Math.max(0, Duration.between(oldest.toInstant(ZoneOffset.UTC), Instant.now()).toMillis()) / 1000.0;
    });
  }

  /** A router's first handlers: counts a command once its response is sent. */
  void countCommand(RoutingContext ctx) {
    String command = commandOf(ctx.request().method());
    if (command != null && ctx.request().path().startsWith("/api/books")) {
      ctx.addEndHandler(ended -> commands.computeIfAbsent(command + ' ' + ctx.response().getStatusCode(),
          key -> counter(command, ctx.response().getStatusCode())).increment());
    }
    ctx.next();
  }

  private Counter counter(String command, int status) {
    String reason = reason(status);
    return Counter.builder("cqrs.commands")
        .tag("command", command)
        .tag("outcome", reason.equals("none") ? "accepted" : "rejected")
        .tag("reason", reason)
        .description("Commands answered, by outcome and the reason for a refusal")
        .register(registry);
  }

  private static String commandOf(HttpMethod method) {
    if (method.equals(HttpMethod.POST)) {
      return "create";
    }
    if (method.equals(HttpMethod.PUT)) {
      return "update";
    }
    return method.equals(HttpMethod.DELETE) ? "delete" : null;
  }

  /** Why a command was refused, from the status {@code ApiException} chose; {@code none} when it was accepted. */
  static String reason(int status) {
    return switch (status) {
      case 200, 201, 204 -> "none";
      case 400 -> "invalid";
      case 401 -> "unauthenticated";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 408 -> "too_slow";
      case 409 -> "conflict";
      case 412 -> "version_changed";
      case 413 -> "too_large";
      case 415 -> "not_json";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "client_error";
    };
  }
}
