package io.cqrsbooks.query;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Commits the offsets of applied batches, never "wherever the consumer is". The poll loop does not wait
 * for a commit: at most one is in flight, and the offsets of batches applied meanwhile go in the next one.
 * Each commit's round trip is measured: the vertx client commits synchronously on the consumer's one thread,
 * so a fetch due meanwhile waits for it.
 */
final class OffsetCommits {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

  private final KafkaConsumer<String, String> consumer;
  private final QueryMetrics metrics;
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  /** The commits under way: one, then what was applied meanwhile, until nothing is left; complete when idle. */
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean stopped;

  OffsetCommits(KafkaConsumer<String, String> consumer, QueryMetrics metrics) {
    this.consumer = consumer;
    this.metrics = metrics;
  }

  /** Where each partition of an applied batch resumes: {@code {partition: next offset}}. */
  static Map<Integer, Long> nextOffsets(KafkaConsumerRecords<String, String> records) {
    Map<Integer, Long> next = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      // Records of a partition come in offset order, so the last one sets where to resume.
      next.put(record.partition(), record.offset() + 1);
    }
    return next;
  }

  void applied(String topic, Map<Integer, Long> nextOffsets) {
    if (stopped) {
      return;
    }
    nextOffsets.forEach((partition, next) ->
        toCommit.put(new TopicPartition(topic, partition), new OffsetAndMetadata(next, null)));
    commitNext();
  }

  /**
   * Stops committing, once the commit in flight and the offsets applied before now are committed, so the
   * consumer can be closed without cutting a commit off and the next start does not apply them again.
   */
  Future<Void> finish() {
    stopped = true;
    return commitNext();
  }

  /** Commits what is to commit unless commits are under way (they take it along); the future is theirs. */
  private Future<Void> commitNext() {
    if (inFlight.isComplete() && !toCommit.isEmpty()) {
      inFlight = commitAll();
    }
    return inFlight;
  }

  /** Commits what is waiting, then what was applied while it was committed, until nothing is left. */
  private Future<Void> commitAll() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(toCommit);
    toCommit.clear();
    long requested = System.nanoTime();
    return consumer.commit(offsets)
        .onSuccess(committed -> metrics.committed(Duration.ofNanos(System.nanoTime() - requested)))
        // Applied but not committed (e.g. during a rebalance): the events come again and change nothing.
        .onFailure(failure -> LOG.warn("committing offsets failed; those events may be delivered again: {}",
            failure.toString()))
        .transform(committed -> toCommit.isEmpty() ? Future.<Void>succeededFuture() : commitAll());
  }
}
