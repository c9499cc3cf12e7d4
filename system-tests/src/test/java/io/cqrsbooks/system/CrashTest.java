package io.cqrsbooks.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each side killed with SIGKILL (no graceful stop), and the command side stopped with SIGTERM, while writes
 * stream in, then started again: nothing acknowledged or committed is lost, nothing is applied twice in
 * effect. Both sides run as separate JVMs here.
 */
class CrashTest extends SystemTest {

  /** Here both sides run as their own JVMs, so they can be killed. */
  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.startInProcesses();
  }

  @Test
  void theQuerySideKilledMidStreamCatchesUpWithoutLossOrDoubleEffect() throws Exception {
    try (BackgroundWriter writer = BackgroundWriter.start(system, "query-kill", 21, 60, Long.MAX_VALUE)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> writer.accepted() >= 60);
      system.killQuerySide();
      sleep(2000);
      long restarted = System.nanoTime();
      system.startQuerySide();
      // The killed consumer never left its group; its successor must not wait long for its partitions.
      awaitTrue("events applied after the restart", Duration.ofSeconds(30),
          () -> system.get("/ready").bodyAsJsonObject().getLong("eventsApplied") > 0);
      System.out.printf("query side: first event applied %d ms after the restart began%n",
          (System.nanoTime() - restarted) / 1_000_000);
      awaitTrue("writes after the restart", Duration.ofSeconds(20), () -> writer.accepted() >= 300);
      assertEquals(0, writer.unavailable(), "the command side did not notice: " + writer);
      assertTrue(writer.unexpected.isEmpty(), writer.unexpected::toString);
    }
    system.awaitReady();
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
  }

  @Test
  void theCommandSideKilledMidRelayLosesNoCommittedEvent() throws Exception {
    // As fast as answers come, so the relay is publishing when the kill lands.
    try (BackgroundWriter writer = BackgroundWriter.start(system, "command-kill", 22, 0, Long.MAX_VALUE)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> writer.accepted() >= 200);
      system.killCommandSide();
      long acceptedAtKill = writer.accepted();
      sleep(1000);
      system.startCommandSide();
      awaitTrue("writes accepted after the restart", Duration.ofSeconds(30), () -> writer.accepted() >= acceptedAtKill + 200);
      assertTrue(writer.unavailable() > 0, "the kill was felt by the client: " + writer);
      assertTrue(writer.unexpected.isEmpty(), writer.unexpected::toString);
    }
    awaitTrue("outbox drained", Duration.ofSeconds(60), () -> system.unpublishedEvents() == 0);
    List<String> committed = system.outboxEventIds();
    assertTrue(system.eventIdsOnTopic().containsAll(committed), "every committed event reached the topic");
    system.assertPerBookOrderOnTopic();
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
  }

  @Test
  void theCommandSideStoppedWithSigtermMidLoadExitsByItselfAndLosesNoAcknowledgedWrite() throws Exception {
    try (BackgroundWriter writer = BackgroundWriter.start(system, "command-term", 23, 0, Long.MAX_VALUE)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> writer.accepted() >= 200);
      long termAt = System.nanoTime();
      assertTrue(system.terminateCommandSide(Duration.ofSeconds(30)),
          "the command side did not stop within 30 s of SIGTERM:\n" + system.commandSideLog());
      System.out.printf("command side: stopped %d ms after SIGTERM, with requests in flight%n",
          (System.nanoTime() - termAt) / 1_000_000);
      assertTrue(system.commandSideLog().contains("cqrs-books: stopped"), system.commandSideLog());
      long acceptedAtStop = writer.accepted();
      system.startCommandSide();
      awaitTrue("writes accepted after the restart", Duration.ofSeconds(30), () -> writer.accepted() >= acceptedAtStop + 100);
      assertTrue(writer.unexpected.isEmpty(), writer.unexpected::toString);
      writer.close();
      writer.assertAcknowledgedWritesIn(system.mysqlBooks());
    }
    awaitTrue("outbox drained", Duration.ofSeconds(60), () -> system.unpublishedEvents() == 0);
    assertTrue(system.eventIdsOnTopic().containsAll(system.outboxEventIds()), "every committed event reached the topic");
    system.assertPerBookOrderOnTopic();
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
  }
}
