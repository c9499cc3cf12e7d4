package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.embedded.TestServers;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A change feed, on a real Kafka broker, announces a change another query process applied when that process
 * says so on the progress topic. Nothing commits offsets here, so the group's commits cannot be what
 * released it; and word from a process of another consumer group (another read model) releases nothing.
 */
@ExtendWith(VertxExtension.class)
class ChangeFeedProgressTest {

  @Test
  void aChangeIsAnnouncedWhenTheProcessThatAppliedItSaysSoAndNotOnWordFromAnotherGroup(Vertx vertx) throws Exception {
    TestServers servers = TestServers.get();
    KafkaSettings kafka = servers.newTopic("feed-progress");
    servers.createTopic(kafka);
    KafkaSettings otherGroup = new KafkaSettings(kafka.bootstrapServers(), kafka.topic(), kafka.partitions(),
        kafka.replicationFactor(), kafka.groupId() + "-other");
    ChangeWindow window = new ChangeWindow(1000, 1 << 20);
    BookChange.register(vertx.eventBus());
    List<BookChange> announced = new CopyOnWriteArrayList<>();
    vertx.eventBus().<BookChange>localConsumer(BookChange.ADDRESS, message -> announced.add(message.body()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    await(vertx.deployVerticle(new ChangeFeed(kafka, window, new QueryMetrics(registry, new QueryStatus()))));
    awaitTrue("the feed follows the topic", Duration.ofSeconds(30), window::started);

    Vertx otherProcess = Vertx.vertx();
    try (KafkaProducer<String, String> relay = new KafkaProducer<>(new HashMap<String, Object>(kafka.producerConfig()))) {
      RecordMetadata sent = relay.send(new ProducerRecord<>(kafka.topic(), 0, "41",
          BookJson.encode(TestEvents.created(41, "Applied elsewhere")))).get(30, TimeUnit.SECONDS);
      JsonObject past = new JsonObject().put("0", sent.offset() + 1);

      ProgressTopic anotherReadModel = new ProgressTopic(otherProcess, otherGroup);
      await(anotherReadModel.ensure());
      anotherReadModel.tell(past);
      Thread.sleep(1500);
      assertEquals(List.of(), announced, "released by another consumer group's progress, or by nothing");

      ProgressTopic sameReadModel = new ProgressTopic(otherProcess, kafka);
      await(sameReadModel.ensure());
      sameReadModel.tell(past);
      awaitTrue("announced on the applying process's word", Duration.ofSeconds(10), () -> announced.size() == 1);
      assertEquals(41, announced.get(0).bid());
      assertEquals(1, announced.get(0).version());
      assertEquals(sent.offset(), announced.get(0).offset());
      Timer heldForAnother = registry.get("cqrs.feed.held").tag("applier", "other").timer();
      assertEquals(1, heldForAnother.count(), "the hold is measured as one for another process");
      assertTrue(heldForAnother.totalTime(TimeUnit.MILLISECONDS) >= 1500, "held while only the other group had spoken");
    } finally {
      await(otherProcess.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    fail("timed out after " + timeout + " waiting for: " + what);
  }
}
