package io.cqrsbooks.system;

import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static io.cqrsbooks.system.TestSystem.await;
import static io.cqrsbooks.system.TestSystem.awaitTrue;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** Kafka down means events wait in the outbox, not lost or failed writes. */
class KafkaOutageTest extends SystemTest {


  @Test
  void writesDuringAKafkaOutageAreAcceptedAndEveryEventArrives() {
    List<Long> live = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      live.add(system.createBook(book("Before " + i, 1 + i, i)).bodyAsJsonObject().getLong("bid"));
    }
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(20));

    system.servers.kafka().stop();
    Random random = new Random(7);
    for (int op = 0; op < 60; op++) {
      int choice = live.isEmpty() ? 0 : random.nextInt(3);
      if (choice == 0) {
        live.add(system.createBook(book("During " + op, 1 + op, op)).bodyAsJsonObject().getLong("bid"));
      } else if (choice == 1) {
        long bid = live.get(random.nextInt(live.size()));
        assertEquals(200, system.command(HttpMethod.PUT, "/api/books/" + bid, book("Updated " + op, 2, op)).statusCode());
      } else {
        long bid = live.remove(random.nextInt(live.size()));
        assertEquals(204, system.command(HttpMethod.DELETE, "/api/books/" + bid, null).statusCode());
      }
    }
    assertTrue(unpublished() > 0, "events wait in the outbox while Kafka is down");

    system.servers.kafka().restart();
    awaitTrue("outbox drained", Duration.ofSeconds(90), () -> unpublished() == 0);
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));

    Set<String> published = eventIdsOnTopic();
    List<String> stored = new ArrayList<>();
    for (Row row : await(system.mysql().query("SELECT event_id FROM outbox").execute())) {
      stored.add(row.getString(0));
    }
    assertEquals(70, stored.size(), "one outbox row per accepted command");
    assertTrue(published.containsAll(stored), "every stored event reached the topic");
  }

  private static long unpublished() {
    return await(system.mysql().query("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").execute())
        .iterator().next().getLong(0);
  }

  private static Set<String> eventIdsOnTopic() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", system.config().getJsonObject("kafka").getString("bootstrapServers"));
    properties.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    properties.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    String topic = system.config().getJsonObject("kafka").getString("topic");
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          ids.add(new io.vertx.core.json.JsonObject(record.value()).getString("eventId"));
        }
      }
    }
    return ids;
  }
}
