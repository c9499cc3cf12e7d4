package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topic on which the query processes of one consumer group tell each other how far they have applied
 * each partition of the book topic: {@code <topic>.applied}, one partition, each record keyed by the group
 * with {@code {partition: next offset}} as its value. A change feed reads it beside the book topic, so a
 * change another process applied is announced as soon as that process says so, instead of when the group's
 * next offset commit is read. Losing a record costs only time: the committed offsets still say the same,
 * later. Records matter only while they are new, so the topic keeps ten minutes of them.
 */
final class ProgressTopic {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressTopic.class);
  private static final String KEEP_MILLIS = String.valueOf(10 * 60 * 1000);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final String name;
  private KafkaProducer<String, String> producer;
  /** Until the topic is known to exist, nothing is sent: a send to a missing topic waits for it. */
  private boolean exists;

  ProgressTopic(Vertx vertx, KafkaSettings kafka) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.name = kafka.topic() + ".applied";
  }

  /** Its only partition, which a change feed reads from its end. */
  TopicPartition partition() {
    return new TopicPartition(name, 0);
  }

  /** Creates the topic unless it exists. */
  Future<Void> ensure() {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, kafka.adminConfig());
    NewTopic topic = new NewTopic(name, 1, kafka.replicationFactor())
        .setConfig(Map.of("cleanup.policy", "delete", "retention.ms", KEEP_MILLIS, "segment.ms", KEEP_MILLIS));
    return admin.createTopics(List.of(topic))
        .recover(failure -> isTopicExists(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .onSuccess(created -> exists = true)
        .eventually(() -> admin.close());
  }

  /**
   * Tells the other processes that this one applied each partition up to (not including) its offset:
   * {@code {partition: next offset}}, as this process's consumer reports it on the event bus.
   */
  void tell(JsonObject nextOffsets) {
    if (!exists) {
      return;
    }
    producer().send(KafkaProducerRecord.create(name, kafka.groupId(), nextOffsets.encode()))
        .onFailure(failure -> LOG.debug("telling the other query processes what was applied failed: {}", failure.getMessage()));
  }

  /** What a record of this topic says, if another process of this group sent it. */
  Optional<Map<Integer, Long>> read(KafkaConsumerRecord<String, String> record) {
    if (!kafka.groupId().equals(record.key())) {
      return Optional.empty();
    }
    try {
      return Optional.of(nextOffsets(new JsonObject(record.value())));
    } catch (RuntimeException unreadable) {
      LOG.debug("ignoring an unreadable record of topic '{}': {}", name, unreadable.getMessage());
      return Optional.empty();
    }
  }

  /** {@code {partition: next offset}}, as a report of what a process applied carries it. */
  static Map<Integer, Long> nextOffsets(JsonObject report) {
    Map<Integer, Long> next = new HashMap<>();
    report.forEach(entry -> next.put(Integer.parseInt(entry.getKey()), ((Number) entry.getValue()).longValue()));
    return next;
  }

  /** Whether the topic is known to exist: until then nothing is sent, and a feed does not read it. */
  boolean exists() {
    return exists;
  }

  boolean isItsTopic(String topic) {
    return name.equals(topic);
  }

  Future<Void> close() {
    return producer == null ? Future.succeededFuture() : producer.close(KafkaSettings.CLOSE_TIMEOUT.toMillis());
  }

  private KafkaProducer<String, String> producer() {
    if (producer == null) {
      producer = KafkaProducer.create(vertx, kafka.progressProducerConfig());
      // A failed send is also reported here; without a handler Vert.x logs it as an unhandled error.
      producer.exceptionHandler(failure -> LOG.debug("a progress record was not sent: {}", failure.getMessage()));
    }
    return producer;
  }

  private static boolean isTopicExists(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
