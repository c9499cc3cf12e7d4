package io.cqrsbooks.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** How to reach Kafka and which topic carries book events: the {@code kafka} section of the configuration. */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, short replicationFactor,
                            String groupId) {

  /**
   * How long a closing Kafka client may wait for Kafka. A producer's own {@code close()} waits for every record
   * sent to be acknowledged, without a limit, and a consumer's up to 30 s to leave its group: a process told
   * to stop while Kafka did not answer waited for its launch's 20 s deadline, then was cut off with errors.
   * What is not acknowledged by then is left to whoever sends it next (the outbox keeps a row until Kafka
   * acknowledged its event); a group left without a word hands the partitions on after its session timeout.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private static final String STRING_SERIALIZER = "org.apache.kafka.common.serialization.StringSerializer";
  private static final String STRING_DESERIALIZER = "org.apache.kafka.common.serialization.StringDeserializer";

  public static KafkaSettings from(Config config) {
    return new KafkaSettings(
        config.required("kafka.bootstrapServers"),
        config.required("kafka.topic"),
        config.positive("kafka.partitions"),
        (short) config.positive("kafka.replicationFactor"),
        config.required("kafka.groupId"));
  }

  public Map<String, String> adminConfig() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("request.timeout.ms", "10000");
    config.put("default.api.timeout.ms", "15000");
    return config;
  }

  /** Idempotent, fully acknowledged, ordered per partition: the relay's guarantees rest on these. */
  public Map<String, String> producerConfig() {
    Map<String, String> config = writerConfig();
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", "1");
    config.put("max.block.ms", "10000");
    config.put("request.timeout.ms", "10000");
    config.put("delivery.timeout.ms", "30000");
    return config;
  }

  /**
   * A query process's reports of what it applied, to the other query processes: small, sent at once, and
   * harmless to lose (the group's committed offsets say the same later), so one acknowledgement suffices.
   */
  public Map<String, String> progressProducerConfig() {
    Map<String, String> config = writerConfig();
    config.put("acks", "1");
    config.put("enable.idempotence", "false");
    config.put("linger.ms", "0");
    config.put("max.block.ms", "5000");
    config.put("delivery.timeout.ms", "5000");
    config.put("request.timeout.ms", "4000");
    return config;
  }

  /**
   * A query process's own read of every partition, for its live change feed: no group (it takes all
   * partitions itself and commits nothing), from where it is told to seek.
   */
  public Map<String, String> feedConfig() {
    Map<String, String> config = readerConfig();
    config.put("auto.offset.reset", "latest");
    config.put("max.poll.records", "1000");
    return config;
  }

  /** Offsets are committed by hand, only after the read model acknowledged the events. */
  public Map<String, String> consumerConfig() {
    Map<String, String> config = readerConfig();
    config.put("group.id", groupId);
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", "500");
    // A query process killed without leaving its group holds its partitions until this expires; Kafka's
    // 45 s default kept a restarted query side from consuming for that long (measured in CrashTest).
    config.put("session.timeout.ms", "10000");
    config.put("heartbeat.interval.ms", "3000");
    return config;
  }

  /**
   * A query process's reader of the group's committed offsets (how far other processes have applied): it
   * carries the group's id to ask the group's coordinator, but never subscribes nor commits, so it never joins.
   */
  public Map<String, String> groupProgressConfig() {
    Map<String, String> config = readerConfig();
    config.put("group.id", groupId);
    config.put("client.id", groupId + "-progress-" + UUID.randomUUID());
    return config;
  }

  /** What every writer shares: where Kafka is, and string keys and values. */
  private Map<String, String> writerConfig() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("key.serializer", STRING_SERIALIZER);
    config.put("value.serializer", STRING_SERIALIZER);
    return config;
  }

  /** What every reader of the topic shares: string records, committed transactions only, no automatic commits. */
  private Map<String, String> readerConfig() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("key.deserializer", STRING_DESERIALIZER);
    config.put("value.deserializer", STRING_DESERIALIZER);
    config.put("enable.auto.commit", "false");
    config.put("isolation.level", "read_committed");
    return config;
  }
}
