package io.cqrsbooks.system;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.contract.EventHeaders;
import io.cqrsbooks.embedded.TopicContents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cqrsbooks.system.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The book events topic, read and written around the services, with the Kafka settings they use. */
final class Topic {

  private final Vertx vertx;
  private final KafkaSettings kafka;

  Topic(Vertx vertx, KafkaSettings kafka) {
    this.vertx = vertx;
    this.kafka = kafka;
  }

  /** A record as anything else could publish it: no outbox, no validation. */
  void publishRaw(String key, String value) {
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, kafka.producerConfig());
    try {
      await(producer.send(KafkaProducerRecord.create(kafka.topic(), key, value)));
    } finally {
      await(producer.close());
    }
  }

  /** Every record's value on the topic, partition by partition. */
  List<String> values() {
    return records().stream().map(ConsumerRecord::value).toList();
  }

  /** {event id: the record's request-id header} for every record that carries one. */
  Map<String, String> requestIdsByEventId() {
    Map<String, String> ids = new HashMap<>();
    for (ConsumerRecord<String, String> record : records()) {
      var header = record.headers().lastHeader(EventHeaders.REQUEST_ID);
      if (header != null) {
        ids.put(new JsonObject(record.value()).getString("eventId"), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return ids;
  }

  /** Every event id on the topic, read from the beginning of each partition to its end. */
  Set<String> eventIds() {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, String> record : records()) {
      ids.add(new JsonObject(record.value()).getString("eventId"));
    }
    return ids;
  }

  /**
   * Fails unless, for every book, the versions on the topic first appear in increasing order: a relay
   * that starts again may publish an event a second time, but never one book's events out of order.
   */
  void assertPerBookOrder() {
    Map<String, Long> newestSeen = new HashMap<>();
    Map<String, Set<Long>> seen = new HashMap<>();
    for (ConsumerRecord<String, String> record : records()) {
      long version = new JsonObject(record.value()).getLong("version");
      if (seen.computeIfAbsent(record.key(), bid -> new HashSet<>()).add(version)) {
        long newest = newestSeen.getOrDefault(record.key(), 0L);
        assertTrue(version > newest, "book " + record.key() + ": version " + version + " first published after "
            + newest + " (partition " + record.partition() + ", offset " + record.offset() + ")");
        newestSeen.put(record.key(), version);
      }
    }
  }

  /** Everything on the topic, as a query process's own feed reads it (every partition, no group). */
  private List<ConsumerRecord<String, String>> records() {
    return TopicContents.read(kafka.feedConfig(), kafka.topic(), Duration.ofSeconds(60));
  }
}
