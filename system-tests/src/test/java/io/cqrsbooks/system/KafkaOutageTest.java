package io.cqrsbooks.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.*;

/** Kafka down for 10 s during a steady stream of writes: every write accepted, every event delivered. */
class KafkaOutageTest extends SystemTest {

  @Test
  void writesDuringATenSecondKafkaOutageAreAcceptedAndEveryEventArrives() throws Exception {
    long eventsBefore = system.countRows("outbox");
    BackgroundWriter writer = BackgroundWriter.start(system, "kafka-outage", 7, 30, Long.MAX_VALUE);
    try {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> writer.accepted() >= 30);
      system.servers.kafka().stop();
      long acceptedAtStop = writer.accepted();
      sleep(10_000);
      assertTrue(system.unpublishedEvents() > 0, "events wait in the outbox while Kafka is down");
      assertTrue(writer.accepted() - acceptedAtStop >= 100, "commands kept being accepted: " + writer);
      system.servers.kafka().restart();
      sleep(3000);
    } finally {
      writer.close();
    }
    assertEquals(0, writer.unavailable(), writer.toString());
    assertTrue(writer.unexpected.isEmpty(), writer.unexpected.toString());

    awaitTrue("outbox drained", Duration.ofSeconds(90), () -> system.unpublishedEvents() == 0);
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    List<String> stored = system.outboxEventIds();
    assertEquals(eventsBefore + writer.accepted(), stored.size(), "one outbox row per accepted command");
    Set<String> published = system.eventIdsOnTopic();
    assertTrue(published.containsAll(stored), "every stored event reached the topic");
    system.assertPerBookOrderOnTopic();
  }
}
