package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
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
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every change applied to the read model, whichever query process applied it, announced in this one.
 *
 * <p>Each query process reads the whole topic itself (every partition, no consumer group, from the end
 * at start) and holds each record back until the read model has applied it: until this process's own
 * consumer reports it applied, or the process that applies its partition says so on the
 * {@link ProgressTopic} (which this feed tells what its own consumer applied), or, should that word be lost,
 * until the consumer group's committed offset for its partition is past it (the group commits only what
 * MongoDB acknowledged). Duplicates and stale versions that the projection would ignore are skipped, so each
 * change is announced once, in per-book version order. Delivered changes are kept in the
 * {@link ChangeWindow} for streams that reconnect.
 */
final class ChangeFeed extends VerticleBase {

  /** Local address on which this process's consumer reports {@code {partition: next offset}} once applied. */
  static final String APPLIED_ADDRESS = "cqrs-books.changes.applied";
  /** Local address on which this process's consumer reports the partitions it owns now (a JSON array). */
  static final String OWNED_ADDRESS = "cqrs-books.changes.owned";

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final long RETRY_MILLIS = 1000;
  /**
   * How often, while records wait for another process, the group's committed offsets are read: only in case
   * that process's word on the progress topic was lost, so not often; often when there is no progress topic.
   */
  private static final long APPLIED_CHECK_MILLIS = 100;
  private static final long APPLIED_CHECK_MILLIS_WITHOUT_WORD = 5;
  /** Records held back at most; polling stops beyond it (e.g. while no process can apply). */
  private static final int MAX_HELD = 20_000;
  /** Bids whose newest announced version is remembered, to skip re-sent and stale events. */
  private static final int RECENT_BIDS = 100_000;

  private final KafkaSettings kafka;
  private final ChangeWindow window;
  private final QueryMetrics metrics;
  private final Map<Long, Long> announcedVersions = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > RECENT_BIDS;
    }
  };
  private KafkaConsumer<String, String> consumer;
  private GroupProgress progress;
  private ProgressTopic progressTopic;
  private ArrayDeque<Held>[] held;
  private long[] applied;
  /** Partitions this process's consumer applies: their progress comes from its reports, not from Kafka. */
  private Set<Integer> ownedHere = Set.of();
  private int heldCount;
  private boolean polling;
  private boolean checkScheduled;
  private boolean stopping;
  /** The topic did not exist when the feed started: once it does, it is read from its beginning. */
  private boolean waitedForTopic;

  ChangeFeed(KafkaSettings kafka, ChangeWindow window, QueryMetrics metrics) {
    this.kafka = kafka;
    this.window = window;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    consumer = KafkaConsumer.create(vertx, kafka.feedConfig());
    progress = new GroupProgress(vertx, kafka);
    progressTopic = new ProgressTopic(vertx, kafka);
    vertx.eventBus().<JsonObject>localConsumer(APPLIED_ADDRESS, message -> appliedLocally(message.body()));
    vertx.eventBus().<JsonArray>localConsumer(OWNED_ADDRESS, message -> {
      ownedHere = message.body().stream().map(p -> ((Number) p).intValue()).collect(Collectors.toUnmodifiableSet());
      if (held != null) {
        release();
      }
    });
    startAtTheEnd();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.join(KafkaClose.within(consumer.close(), "the change feed's consumer"),
        KafkaClose.within(progress.close(), "the change feed's progress consumer"), progressTopic.close());
  }

  /**
   * Follows every partition from its end; or, if the topic did not exist yet (the command side creates
   * it), from its beginning once it does, so the first changes are not missed. Follows the progress topic
   * from its end.
   */
  @SuppressWarnings("unchecked")
  private void startAtTheEnd() {
    progressTopic.ensure()
        .recover(failure -> {
          LOG.warn("no progress topic ({}): other processes' changes are announced once their offsets are committed",
              failure.getMessage());
          return Future.succeededFuture();
        })
        .compose(ready -> consumer.partitionsFor(kafka.topic()))
        .compose(infos -> {
          if (infos.isEmpty()) {
            waitedForTopic = true;
            return Future.failedFuture("topic '" + kafka.topic() + "' does not exist yet");
          }
          Set<TopicPartition> partitions = infos.stream()
              .map(info -> new TopicPartition(kafka.topic(), info.getPartition())).collect(Collectors.toSet());
          boolean withProgress = progressTopic.exists();
          Set<TopicPartition> toRead = new HashSet<>(partitions);
          if (withProgress) {
            toRead.add(progressTopic.partition());
          }
          return consumer.assign(toRead)
              .compose(assigned -> withProgress ? followProgressFromItsEnd() : Future.<Void>succeededFuture())
              .compose(followed -> waitedForTopic
                  ? consumer.beginningOffsets(partitions)
                  : consumer.endOffsets(partitions));
        })
        .compose(from -> {
          int count = from.keySet().stream().mapToInt(TopicPartition::getPartition).max().orElse(-1) + 1;
          long[] start = new long[count];
          from.forEach((partition, offset) -> start[partition.getPartition()] = offset);
          held = new ArrayDeque[count];
          Arrays.setAll(held, p -> new ArrayDeque<>());
          applied = new long[count];
          return Future.all(from.entrySet().stream()
                  .map(offset -> consumer.seek(offset.getKey(), offset.getValue())).toList())
              .map(FeedPosition.of(start));
        })
        .onSuccess(start -> {
          window.startAt(start);
          LOG.info("following every change of topic '{}' from {}", kafka.topic(), start);
          pollNext();
        })
        .onFailure(failure -> {
          LOG.debug("the change feed waits for the topic: {}", failure.getMessage());
          if (!stopping) {
            vertx.setTimer(RETRY_MILLIS, timer -> startAtTheEnd());
          }
        });
  }

  /** What other processes applied before now is in their committed offsets; only what they say from now on is read. */
  private Future<Void> followProgressFromItsEnd() {
    return consumer.endOffsets(progressTopic.partition())
        .compose(end -> consumer.seek(progressTopic.partition(), end));
  }

  private void pollNext() {
    if (stopping || polling || heldCount >= MAX_HELD) {
      return;
    }
    polling = true;
    consumer.poll(POLL_TIMEOUT)
        .onComplete(polled -> {
          polling = false;
          if (polled.succeeded()) {
            hold(polled.result());
          } else {
            LOG.warn("the change feed could not poll Kafka: {}", polled.cause().getMessage());
          }
        })
        .onSuccess(records -> pollNext())
        .onFailure(failure -> vertx.setTimer(RETRY_MILLIS, timer -> pollNext()));
  }

  private void hold(KafkaConsumerRecords<String, String> records) {
    long polledAt = System.nanoTime();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      if (progressTopic.isItsTopic(record.topic())) {
        progressTopic.read(record).ifPresent(next -> next.forEach(this::advanceApplied));
      } else if (record.partition() < held.length) {
        held[record.partition()].addLast(new Held(record, polledAt));
        heldCount++;
      }
    }
    release();
  }

  /** This process's consumer applied a batch: announced here at once, and told to the other processes. */
  private void appliedLocally(JsonObject nextOffsets) {
    progressTopic.tell(nextOffsets);
    if (applied == null) {
      return;
    }
    ProgressTopic.nextOffsets(nextOffsets).forEach(this::advanceApplied);
    release();
  }

  private void advanceApplied(int partition, long next) {
    if (partition < applied.length) {
      applied[partition] = Math.max(applied[partition], next);
    }
  }

  /** Announces, partition by partition in offset order, every held record the read model has applied. */
  private void release() {
    for (int p = 0; p < held.length; p++) {
      ArrayDeque<Held> queue = held[p];
      while (!queue.isEmpty() && queue.peekFirst().record().offset() < applied[p]) {
        Held next = queue.removeFirst();
        metrics.feedHeld(ownedHere.contains(p), System.nanoTime() - next.polledAt());
        announce(next.record());
        heldCount--;
      }
    }
    if (waitsForAnotherProcess()) {
      checkAppliedSoon();
    }
    pollNext();
  }

  /** Records are held in a partition another process applies: its word, or the group's commits, will release them. */
  private boolean waitsForAnotherProcess() {
    for (int p = 0; p < held.length; p++) {
      if (!held[p].isEmpty() && !ownedHere.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private void announce(KafkaConsumerRecord<String, String> record) {
    FeedPosition after = window.current().after(record.partition(), record.offset());
    BookEvent event;
    try {
      event = BookJson.decode(record.value());
    } catch (InvalidEventException e) {
      window.skipped(after);
      return;
    }
    Long announced = announcedVersions.get(event.bid());
    if (announced != null && announced >= event.version()) {
      window.skipped(after);
      return;
    }
    announcedVersions.put(event.bid(), event.version());
    BookChange change = BookChange.of(event, record.partition(), record.offset(), after);
    window.add(change);
    vertx.eventBus().publish(BookChange.ADDRESS, change);
  }

  /** Other processes' progress as the consumer group committed it, read while their records wait. */
  private void checkAppliedSoon() {
    if (checkScheduled || stopping) {
      return;
    }
    checkScheduled = true;
    vertx.setTimer(progressTopic.exists() ? APPLIED_CHECK_MILLIS : APPLIED_CHECK_MILLIS_WITHOUT_WORD, timer -> progress.committed(held.length)
        .onComplete(read -> {
          checkScheduled = false;
          if (read.succeeded()) {
            read.result().forEach(this::advanceApplied);
            release();
          } else {
            LOG.debug("reading the group's committed offsets failed: {}", read.cause().getMessage());
            checkAppliedSoon();
          }
        }));
  }

  /** A record waiting to be applied, and when this feed polled it ({@link System#nanoTime}). */
  private record Held(KafkaConsumerRecord<String, String> record, long polledAt) {
  }
}
