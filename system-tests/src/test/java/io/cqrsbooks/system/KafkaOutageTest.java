package io.cqrsbooks.system;

import io.vertx.core.json.JsonObject;
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
      sleep(7_000);
      JsonObject early = system.commandGet("/status").bodyAsJsonObject();
      sleep(3_000);
      assertTrue(system.unpublishedEvents() > 0, "events wait in the outbox while Kafka is down");
      assertTrue(writer.accepted() - acceptedAtStop >= 100, "commands kept being accepted: " + writer);
      // What an operator sees: the relay not publishing, and why; the outbox growing and ageing.
      JsonObject late = system.commandGet("/status").bodyAsJsonObject();
      System.out.println("command side /status 10 s into the Kafka outage: " + late.encode());
      assertTrue(List.of("stalled", "paused").contains(late.getJsonObject("relay").getString("state")), late.encode());
      assertFalse(late.getJsonObject("relay").getString("reason", "").isBlank(), late.encode());
      assertTrue(late.getJsonObject("outbox").getLong("unpublished") > early.getJsonObject("outbox").getLong("unpublished"),
          "the backlog grows: " + early.encode() + " then " + late.encode());
      assertTrue(late.getJsonObject("outbox").getLong("oldestUnpublishedAgeMillis") >= 5_000, late.encode());
      assertEquals(200, system.commandGet("/ready").statusCode(), "commands are still taken: the command side is ready");
      // The same in the metrics an alert would watch (the backlog is sampled every 5 s).
      Scrape metrics = MetricsTest.scrape(system.commandPort);
      assertEquals(1, metrics.sum("cqrs_relay_state", "state", "stalled") + metrics.sum("cqrs_relay_state", "state", "paused"),
          metrics::toString);
      assertTrue(metrics.sum("cqrs_outbox_unpublished") > 0, metrics::toString);
      assertTrue(metrics.sum("cqrs_outbox_oldest_unpublished_age_seconds") >= 1, metrics::toString);
      system.servers.kafka().restart();
      sleep(3000);
    } finally {
      writer.close();
    }
    assertEquals(0, writer.unavailable(), writer.toString());
    assertTrue(writer.unexpected.isEmpty(), writer.unexpected.toString());

    awaitTrue("outbox drained", Duration.ofSeconds(90), () -> system.unpublishedEvents() == 0);
    awaitTrue("the status shows the relay publishing with nothing left", Duration.ofSeconds(10), () -> {
      JsonObject status = system.commandGet("/status").bodyAsJsonObject();
      return status.getJsonObject("relay").getString("state").equals("publishing")
          && status.getJsonObject("outbox").getLong("unpublished") == 0
          && status.getJsonObject("outbox").getValue("oldestUnpublishedAgeMillis") == null;
    });
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    List<String> stored = system.outboxEventIds();
    assertEquals(eventsBefore + writer.accepted(), stored.size(), "one outbox row per accepted command");
    Set<String> published = system.eventIdsOnTopic();
    assertTrue(published.containsAll(stored), "every stored event reached the topic");
    system.assertPerBookOrderOnTopic();
  }
}
