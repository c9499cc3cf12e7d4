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

  Future<Void> setAside(KafkaConsumerRecord<String, String> record, String reason) {
    status.deadLettered();
    LOG.warn("event at {}-{} offset {} set aside: {}", record.topic(), record.partition(), record.offset(), reason);
    String value = record.value();
    if (value != null && value.length() > VALUE_MAX) {
      value = value.substring(0, VALUE_MAX);
    }
    return readModel.deadLetter(new JsonObject()
        .put("topic", record.topic())
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("key", record.key())
        .put("value", value)
        .put("reason", reason)
        .put("at", Instant.now().toString()));
  }
}
