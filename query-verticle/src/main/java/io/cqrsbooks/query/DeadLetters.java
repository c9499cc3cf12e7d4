package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** Sets aside events that cannot be read, with where they were and why, so they never block a partition. */
final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int VALUE_MAX = 10_000;

  private final ReadModel readModel;
  private final QueryStatus status;

  DeadLetters(ReadModel readModel, QueryStatus status) {
    this.readModel = readModel;
    this.status = status;
  }

  /** Stores the record as a dead letter; counted (and logged) once it is stored, and once per record. */
  Future<Void> setAside(KafkaConsumerRecord<String, String> record, String reason) {
    String value = record.value();
    if (value != null && value.length() > VALUE_MAX) {
      value = value.substring(0, VALUE_MAX);
    }
    String id = record.topic() + "-" + record.partition() + "-" + record.offset();
    return readModel.deadLetter(id, new JsonObject()
        .put("topic", record.topic())
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("key", record.key())
        .put("value", value)
        .put("reason", reason)
        .put("at", Instant.now().toString()))
        .onSuccess(newlyStored -> {
          if (newlyStored) {
            status.deadLettered();
            LOG.warn("event at {}-{} offset {} set aside: {}", record.topic(), record.partition(), record.offset(), reason);
          }
        })
        .mapEmpty();
  }
}
