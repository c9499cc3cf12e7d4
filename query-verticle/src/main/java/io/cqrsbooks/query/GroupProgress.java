package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far the consumer group has applied each partition: its committed offsets, read for the change feed.
 *
 * <p>A Kafka consumer carrying the group's id that never subscribes nor commits, so it never joins the group:
 * it finds the group's coordinator once and then reads the offsets in one request (the admin client found the
 * coordinator again for every read, two requests each). Kafka's consumer blocks, so it runs on a worker, one
 * call at a time.
 */
final class GroupProgress {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private KafkaConsumer<String, String> consumer;

  GroupProgress(Vertx vertx, KafkaSettings kafka) {
    this.vertx = vertx;
    this.kafka = kafka;
  }

  /** The group's next offset for each of the topic's first {@code partitions} partitions that has one. */
  Future<Map<Integer, Long>> committed(int partitions) {
    return vertx.executeBlocking(() -> {
      Set<TopicPartition> all = new HashSet<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(kafka.topic(), p));
      }
      Map<Integer, Long> next = new HashMap<>();
      for (Map.Entry<TopicPartition, OffsetAndMetadata> committed : consumer().committed(all, TIMEOUT).entrySet()) {
        if (committed.getValue() != null) {
          next.put(committed.getKey().partition(), committed.getValue().offset());
        }
      }
      return next;
    }, true);
  }

  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      if (consumer != null) {
        consumer.close(TIMEOUT);
      }
      return null;
    }, true);
  }

  private KafkaConsumer<String, String> consumer() {
    if (consumer == null) {
      consumer = new KafkaConsumer<>(new HashMap<>(kafka.groupProgressConfig()));
    }
    return consumer;
  }
}
