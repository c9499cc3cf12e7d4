package io.cqrsbooks.embedded;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything on a topic, for tests and tools that check what was published. */
public final class TopicContents {

  private TopicContents() {
  }

  /**
   * Every record of {@code topic}, from the beginning of each partition to the end it had when the read
   * began, read without a consumer group (as a query process's own feed reads it), within {@code timeout}.
   *
   * @param consumerConfig a group-less consumer configuration with string deserializers
   */
  public static List<ConsumerRecord<String, String>> read(Map<String, ?> consumerConfig, String topic,
      Duration timeout) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(new HashMap<String, Object>(consumerConfig))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
