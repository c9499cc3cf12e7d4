package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The query side's meters: events applied, skipped as old and dead-lettered; how long an event took from
 * its command to the read model, and two stages of that (relay to poll, a batch's poll to MongoDB); offset commits' round trips; the consumer's lag per partition; the read model's size; the bootstrap's
 * progress; open change streams; consistency waits and their timeouts. Most read {@link QueryStatus}, which
 * {@code /status} shows too; the rest are counted here.
 */
public final class QueryMetrics {

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
  private static final Duration SIZE_EVERY = Duration.ofSeconds(10);

  private final MeterRegistry registry;
  private final QueryStatus status;
  private final Counter skipped;
  private final Timer latency;
  private final Timer fetchDelay;
  private final Timer batchTime;
  private final Timer commitTime;
  private final Timer heldForThisProcess;
  private final Timer heldForAnother;
  private final Counter waitsSatisfied;
  private final Counter waitsTimedOut;
  private final Set<Integer> partitionsWithGauge = ConcurrentHashMap.newKeySet();
  private volatile double readModelBooks = Double.NaN;

  public QueryMetrics(MeterRegistry registry, QueryStatus status) {
    this.registry = registry;
    this.status = status;
    FunctionCounter.builder("cqrs.events.applied", status, QueryStatus::eventsApplied)
        .description("Events applied to the read model by this process").register(registry);
    FunctionCounter.builder("cqrs.events.dead.lettered", status, QueryStatus::deadLetters)
        .description("Events set aside as dead letters by this process").register(registry);
    skipped = Counter.builder("cqrs.events.skipped")
        .description("Events not applied because the read model already held that version or a newer one")
        .register(registry);
    latency = timer("cqrs.projection.latency",
        "From the event's time (its command's commit) to the read model's acknowledgement");
    fetchDelay = timer("cqrs.consumer.fetch.delay",
        "From the relay's send of a record to Kafka (its timestamp) to this consumer's poll of it");
    batchTime = timer("cqrs.projection.batch",
        "From a batch's poll to MongoDB's acknowledgement of it (decoding, version lookup, writes, counts; retries included)");
    commitTime = timer("cqrs.consumer.commit",
        "From the request of an offset commit to Kafka's answer (it runs on the consumer's thread, where fetches wait for it)");
    Timer.Builder held = Timer.builder("cqrs.feed.held")
        .description("From the change feed's poll of a record to its announcement here (SSE, consistency waits), by which"
            + " process applied it: this one, or another (whose word comes over the progress topic)");
    heldForThisProcess = held.tag("applier", "this").register(registry);
    heldForAnother = held.tag("applier", "other").register(registry);
    Counter.Builder waits = Counter.builder("cqrs.consistency.waits")
        .description("Queries held for a consistency token, by how the wait ended");
    waitsSatisfied = waits.tag("outcome", "satisfied").register(registry);
    waitsTimedOut = waits.tag("outcome", "timed_out").register(registry);
    Gauge.builder("cqrs.read.model.books", this, metrics -> metrics.readModelBooks)
        .description("Books in the read model (sampled every " + SIZE_EVERY.toSeconds() + " s)").register(registry);
    Gauge.builder("cqrs.bootstrap.books.copied", status, QueryStatus::bootstrapCopied)
        .description("Books the current or last bootstrap copied from MySQL").register(registry);
    Gauge.builder("cqrs.bootstrap.rate", status, QueryStatus::bootstrapRate)
        .baseUnit("books.per.second").description("The current or last bootstrap's copy rate").register(registry);
    Gauge.builder("cqrs.read.model.generation", status, QueryStatus::generation)
        .description("The generation of the read model queries read (a rebuild moves it on by one)").register(registry);
    Gauge.builder("cqrs.read.model.rebuilding", status, s -> s.isRebuilding() ? 1 : 0)
        .description("1 while a rebuild writes the next generation (its copy's progress: cqrs_bootstrap_books_copied)")
        .register(registry);
    Gauge.builder("cqrs.sse.streams.open", status, QueryStatus::openStreams)
        .description("Open change streams (SSE) on this process").register(registry);
    Gauge.builder("cqrs.consumer.partitions.assigned", status, QueryStatus::partitionsAssigned)
        .description("Kafka partitions this process's consumer applies").register(registry);
  }

  /** For tests of one verticle: meters that record nothing. */
  public static QueryMetrics disabled(QueryStatus status) {
    return new QueryMetrics(Metrics.disabled().registry(), status);
  }

  /** A batch polled at {@code polledAt} was applied now: {@code applied} of its {@code received} events changed the read model. */
  void batchApplied(int received, List<BookEvent> applied, Instant polledAt) {
    skipped.increment(received - applied.size());
    Instant now = Instant.now();
    batchTime.record(Duration.between(polledAt, now));
    for (BookEvent event : applied) {
      latency.record(Duration.between(event.time(), now).abs());
    }
  }

  /** A record the relay sent at {@code sentAt} (epoch milliseconds; negative when unknown) was polled at {@code polledAt}. */
  void polled(long sentAt, Instant polledAt) {
    if (sentAt >= 0) {
      fetchDelay.record(Math.max(0, polledAt.toEpochMilli() - sentAt), TimeUnit.MILLISECONDS);
    }
  }

  /** The change feed held a record {@code nanos} before announcing it; this process applied it, or another did. */
  void feedHeld(boolean appliedHere, long nanos) {
    (appliedHere ? heldForThisProcess : heldForAnother).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** An offset commit took {@code took}, from its request to Kafka's answer. */
  void committed(Duration took) {
    commitTime.record(took);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).register(registry);
  }

  public void consistencyWait(boolean satisfied) {
    (satisfied ? waitsSatisfied : waitsTimedOut).increment();
  }

  /** Registers a lag gauge for each partition the consumer has been assigned, and samples the read model's size. */
  void startSampling(Vertx vertx, ReadModel readModel) {
    vertx.setPeriodic(SAMPLE_EVERY.toMillis(), timer -> status.lagPartitions().forEach(this::lagGauge));
    sampleSize(readModel);
    vertx.setPeriodic(SIZE_EVERY.toMillis(), timer -> sampleSize(readModel));
  }

  private void lagGauge(int partition) {
    if (partitionsWithGauge.add(partition)) {
      Gauge.builder("cqrs.consumer.lag", status, s -> s.lagOf(partition))
          .tag("partition", String.valueOf(partition))
          .description("Records between this consumer's position and the partition's end (NaN: not assigned here)")
          .register(registry);
    }
  }

  private void sampleSize(ReadModel readModel) {
    readModel.size().onComplete(size -> readModelBooks = size.succeeded() ? size.result() : Double.NaN);
  }
}
