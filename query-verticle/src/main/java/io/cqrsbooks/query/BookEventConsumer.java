package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.WriteRefusedException;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.contract.EventHeaders;
import io.cqrsbooks.contract.InvalidEventException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the read model current, in one visible pipeline: bootstrap, then poll -> decode (unreadable
 * events set aside) -> apply (books MongoDB refuses for good set aside) -> report applied -> commit. Offsets are committed only after MongoDB
 * acknowledged the batch, so a crash re-delivers instead of losing; a batch that cannot be applied is
 * retried until it can. When the watchdog finds the read model emptied, the loop rebuilds it between
 * batches and then resumes from the committed offsets.
 */
public final class BookEventConsumer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BookEventConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final long RETRY_MILLIS = 1000;
  private static final Duration LAG_EVERY = Duration.ofSeconds(1);

  private final KafkaSettings kafka;
  private final ReadModelBootstrap bootstrap;
  private final BookProjection projection;
  private final DeadLetters deadLetters;
  private final ReadModelWatchdog watchdog;
  private final QueryStatus status;
  private final QueryMetrics metrics;
  private final PartitionCounts counts;
  private KafkaConsumer<String, String> consumer;
  private OffsetCommits commits;
  private boolean stopping;

  BookEventConsumer(KafkaSettings kafka, ReadModelBootstrap bootstrap, BookProjection projection,
      DeadLetters deadLetters, PartitionCounts counts, ReadModelWatchdog watchdog, QueryStatus status,
      QueryMetrics metrics) {
    this.kafka = kafka;
    this.counts = counts;
    this.bootstrap = bootstrap;
    this.projection = projection;
    this.deadLetters = deadLetters;
    this.watchdog = watchdog;
    this.status = status;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    consumer = KafkaConsumer.create(vertx, kafka.consumerConfig());
    consumer.partitionsAssignedHandler(added -> {
      counts.assigned(added);
      countAssigned();
    });
    consumer.partitionsRevokedHandler(removed -> {
      counts.revoked(removed);
      countAssigned();
    });
    commits = new OffsetCommits(consumer, metrics);
    bootstrapThenConsume();
    return Future.succeededFuture();
  }

  /** Closes the consumer once the offsets applied so far are committed (at most {@link #STOP_GRACE}): a commit cut off by the close is lost. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return commits.finish()
        .timeout(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .transform(committed -> KafkaClose.within(consumer.close(), "the group's consumer"));
  }

  private void bootstrapThenConsume() {
    bootstrap.run()
        .onSuccess(copied -> status.bootstrapped())
        .compose(copied -> consumer.subscribe(kafka.topic()))
        .onSuccess(subscribed -> {
          status.consuming();
          LOG.info("consuming topic '{}' as group '{}'", kafka.topic(), kafka.groupId());
          watchdog.start(vertx);
          vertx.setPeriodic(LAG_EVERY.toMillis(), timer -> measureLag());
          pollNext();
        })
        .onFailure(failure -> {
          status.problem("bootstrap failed: " + failure.getMessage());
          LOG.warn("read model bootstrap failed, retrying in {} ms: {}", RETRY_MILLIS, failure.getMessage());
          retryLater(this::bootstrapThenConsume);
        });
  }

  private void pollNext() {
    if (stopping) {
      return;
    }
    if (watchdog.rebuildNeeded()) {
      rebuild();
      return;
    }
    consumer.poll(POLL_TIMEOUT)
        .onSuccess(this::polled)
        .onFailure(this::pollFailed);
  }

  /**
   * After a batch: takes what has already arrived (a poll that does not wait), and only then asks for the
   * batch's commit. The consumer's calls run one at a time on its own thread, so the commit then runs
   * there while the next batch is applied, instead of between this batch and the next poll. When nothing
   * had arrived, the waiting poll follows the commit.
   */
  private void pollAfter(Map<Integer, Long> appliedOffsets) {
    if (stopping) {
      return;
    }
    if (watchdog.rebuildNeeded()) {
      commits.applied(kafka.topic(), appliedOffsets);
      rebuild();
      return;
    }
    consumer.poll(Duration.ZERO)
        .onComplete(polled -> commits.applied(kafka.topic(), appliedOffsets))
        .onSuccess(records -> {
          if (records.isEmpty()) {
            pollNext();
          } else {
            polled(records);
          }
        })
        .onFailure(this::pollFailed);
  }

  private void polled(KafkaConsumerRecords<String, String> records) {
    Instant polledAt = Instant.now();
    for (int i = 0; i < records.size(); i++) {
      metrics.polled(records.recordAt(i).timestamp(), polledAt);
    }
    process(records, polledAt);
  }

  private void pollFailed(Throwable failure) {
    LOG.warn("polling Kafka failed: {}", failure.getMessage());
    retryLater(this::pollNext);
  }

  /** Applies a batch polled at {@code polledAt}; a retry keeps that time, so the batch's time includes it. */
  private void process(KafkaConsumerRecords<String, String> records, Instant polledAt) {
    if (records.isEmpty()) {
      // Counts still to check (a partition just taken, a rebuild just switched to) are not left waiting
      // for the next write, which may be long in coming.
      counts.beforeBatch()
          .onFailure(failure -> LOG.warn("checking the counts failed, trying again at the next poll: {}", failure.getMessage()))
          .onComplete(checked -> pollNext());
      return;
    }
    List<BookEvent> events = new ArrayList<>(records.size());
    Map<Long, KafkaConsumerRecord<String, String>> newestRecordOf = new HashMap<>();
    Map<String, String> requestIds = new HashMap<>();
    List<Future<Void>> setAside = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      try {
        BookEvent event = BookJson.decode(record.value());
        events.add(event);
        newestRecordOf.put(event.bid(), record);
        if (LOG.isDebugEnabled()) {
          requestIdOf(record).ifPresent(id -> requestIds.put(event.eventId(), id));
        }
      } catch (InvalidEventException e) {
        setAside.add(deadLetters.setAside(record, e.getMessage()));
      }
    }
    Future.all(setAside)
        .compose(parked -> counts.beforeBatch())
        .compose(counted -> applyOrSetAside(events, newestRecordOf))
        .onSuccess(applied -> {
          status.clearProblem();
          status.applied(applied.size(), applied.stream().map(BookEvent::time).max(Comparator.naturalOrder()).orElse(null));
          metrics.batchApplied(events.size(), applied, polledAt);
          if (LOG.isDebugEnabled()) {
            applied.forEach(event -> LOG.atDebug().addKeyValue("requestId", requestIds.get(event.eventId()))
                .addKeyValue("bid", event.bid()).addKeyValue("version", event.version())
                .addKeyValue("eventId", event.eventId())
                .log("applied {} of book {} at version {}", event.type(), event.bid(), event.version()));
          }
          Map<Integer, Long> next = OffsetCommits.nextOffsets(records);
          reportApplied(next);
          pollAfter(next);
        })
        .onFailure(failure -> {
          counts.batchFailed();
          status.problem("read model unavailable: " + failure.getMessage());
          LOG.warn("applying {} events failed, retrying in {} ms: {}", events.size(), RETRY_MILLIS, failure.getMessage());
          retryLater(() -> process(records, polledAt));
        });
  }

  /**
   * Applies the events; the books whose writes MongoDB refuses for good have their newest record set
   * aside (it carries the book's whole state, so retrying it later catches the book up), and the rest
   * are applied again, which changes nothing that was already written.
   */
  private Future<List<BookEvent>> applyOrSetAside(List<BookEvent> events,
      Map<Long, KafkaConsumerRecord<String, String>> newestRecordOf) {
    return projection.apply(events).recover(failure -> {
      if (!(failure instanceof WriteRefusedException refused)) {
        return Future.failedFuture(failure);
      }
      List<Future<Void>> parked = refused.reasons().entrySet().stream()
          .map(reason -> deadLetters.setAside(newestRecordOf.get(reason.getKey()), reason.getValue()))
          .toList();
      List<BookEvent> rest = events.stream().filter(event -> !refused.reasons().containsKey(event.bid())).toList();
      return Future.all(parked).compose(all -> applyOrSetAside(rest, newestRecordOf));
    });
  }

  /** The {@code X-Request-Id} of the command behind the event, from the header the relay adds. */
  private static Optional<String> requestIdOf(KafkaConsumerRecord<String, String> record) {
    return record.headers().stream()
        .filter(header -> header.key().equals(EventHeaders.REQUEST_ID))
        .map(header -> header.value().toString())
        .findFirst();
  }

  /** Records behind the end of each assigned partition, from this consumer's position, for {@code /status}. */
  private void measureLag() {
    consumer.assignment().compose(assigned -> {
      if (assigned.isEmpty()) {
        return Future.succeededFuture(Map.<Integer, Long>of());
      }
      List<TopicPartition> partitions = List.copyOf(assigned);
      return consumer.endOffsets(assigned).compose(ends -> Future.all(partitions.stream()
              .map(consumer::position).toList())
          .map(positions -> {
            Map<Integer, Long> behind = new HashMap<>();
            for (int i = 0; i < partitions.size(); i++) {
              TopicPartition partition = partitions.get(i);
              long end = ends.getOrDefault(partition, 0L);
              behind.put(partition.getPartition(), Math.max(0, end - positions.<Long>resultAt(i)));
            }
            return behind;
          }));
    }).onSuccess(status::lag)
        .onFailure(failure -> LOG.debug("measuring the consumer's lag failed: {}", failure.getMessage()));
  }

  /** Tells the status and this process's change feed which partitions this consumer applies now. */
  private void countAssigned() {
    consumer.assignment().onSuccess(assigned -> {
      status.partitionsAssigned(assigned.size());
      JsonArray owned = new JsonArray();
      assigned.forEach(partition -> owned.add(partition.getPartition()));
      vertx.eventBus().publish(ChangeFeed.OWNED_ADDRESS, owned);
    });
  }

  /** This process's change feed announces the batch at once, without waiting for the commit. */
  private void reportApplied(Map<Integer, Long> nextOffsets) {
    if (stopping) {
      // Stopping: the feed may be gone. The batch is not committed either, so whoever takes the partition over
      // applies it again (changing nothing) and announces it.
      return;
    }
    JsonObject applied = new JsonObject();
    nextOffsets.forEach((partition, next) -> applied.put(String.valueOf(partition), next));
    vertx.eventBus().publish(ChangeFeed.APPLIED_ADDRESS, applied);
  }

  private void rebuild() {
    bootstrap.run()
        .onSuccess(copied -> {
          watchdog.rebuilt();
          status.bootstrapped();
          pollNext();
        })
        .onFailure(failure -> {
          LOG.warn("rebuilding the read model failed, retrying in {} ms: {}", RETRY_MILLIS, failure.getMessage());
          retryLater(this::pollNext);
        });
  }

  private void retryLater(Runnable action) {
    if (!stopping) {
      vertx.setTimer(RETRY_MILLIS, timer -> action.run());
    }
  }
}
