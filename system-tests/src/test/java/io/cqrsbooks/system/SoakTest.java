package io.cqrsbooks.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Several clients send mixed creates, updates and deletes while faults land at random times: Kafka
 * stopped, MySQL stopped, MongoDB stopped and back empty, the query side and the command side killed with
 * SIGKILL. The schedule comes from one seed and is printed as it runs, so a failure can be replayed.
 * At the end the read model equals MySQL, book by book and version by version, and every committed event
 * is on the topic. CI runs 10,000 operations; {@code ./run.sh soak 100000 [seed]} runs the long variant.
 */
class SoakTest extends SystemTest {

  private static final int CLIENTS = 4;
  private static final long OPERATIONS = Long.getLong("soak.operations", 10_000);
  private static final long SEED = Long.getLong("soak.seed", 20261125L);
  /** Operations a second per client: paced, so that faults land throughout the run. */
  private static final int RATE = Integer.getInteger("soak.rate", 50);
  /** Here both sides run as their own JVMs, so they can be killed. */
  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.startInProcesses();
  }

  @Test
  void theReadModelEqualsMySqlAfterAStormOfWritesAndFaults() throws Exception {
    Random schedule = new Random(SEED);
    log("seed=" + SEED + " operations=" + OPERATIONS + " clients=" + CLIENTS + " rate=" + RATE + "/s each"
        + " (replay: ./run.sh soak " + OPERATIONS + " " + SEED + ")");
    List<BackgroundWriter> writers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      writers.add(BackgroundWriter.start(system, "soak-" + i, SEED * 31 + i, RATE, OPERATIONS / CLIENTS));
    }
    // Every kind of fault in turn, in a seeded order, so even a short run meets each of them.
    List<Fault> order = new ArrayList<>(List.of(Fault.values()));
    Collections.shuffle(order, schedule);
    long started = System.nanoTime();
    int faults = 0;
    try {
      while (writers.stream().anyMatch(writer -> !writer.isFinished())) {
        sleep(1000 + schedule.nextInt(3000));
        if (writers.stream().allMatch(BackgroundWriter::isFinished)) {
          break;
        }
        Fault fault = order.get(faults % order.size());
        long downMillis = 1000 + schedule.nextInt(fault == Fault.KAFKA ? 9000 : 3000);
        log(String.format("t+%.1fs fault %d: %s for %d ms (%d operations so far)",
            (System.nanoTime() - started) / 1e9, ++faults, fault, downMillis, operations(writers)));
        inject(fault, downMillis);
      }
      for (BackgroundWriter writer : writers) {
        writer.awaitFinished();
      }
    } finally {
      for (BackgroundWriter writer : writers) {
        writer.close();
      }
    }
    long accepted = writers.stream().mapToLong(BackgroundWriter::accepted).sum();
    log(String.format("done in %.1fs: %d operations, %d accepted, %d faults; %s",
        (System.nanoTime() - started) / 1e9, operations(writers), accepted, faults, writers));

    for (BackgroundWriter writer : writers) {
      assertTrue(writer.unexpected.isEmpty(), () -> writer + ": " + writer.unexpected);
    }
    assertTrue(accepted >= OPERATIONS / 2, "most operations were accepted: " + accepted);
    assertTrue(faults >= Fault.values().length || OPERATIONS < 10_000, "every kind of fault was injected: " + faults);
    awaitTrue("outbox drained", Duration.ofSeconds(120), () -> system.unpublishedEvents() == 0);
    system.awaitReady();
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(120));
    assertTrue(system.eventIdsOnTopic().containsAll(system.outboxEventIds()), "every committed event is on the topic");
    system.assertPerBookOrderOnTopic();
    log("read model == MySQL: " + system.mysqlBooks().size() + " books");
  }

  enum Fault { KAFKA, MYSQL, MONGO, QUERY_KILL, COMMAND_KILL }

  private static void inject(Fault fault, long downMillis) throws Exception {
    switch (fault) {
      case KAFKA -> {
        system.servers.kafka().stop();
        sleep(downMillis);
        system.servers.kafka().restart();
      }
      case MYSQL -> {
        system.servers.mariaDb().stop();
        sleep(downMillis);
        system.servers.mariaDb().restart();
      }
      case MONGO -> {
        system.servers.mongo().stop();
        sleep(downMillis);
        system.servers.mongo().restart();
      }
      case QUERY_KILL -> {
        system.killQuerySide();
        sleep(downMillis);
        system.startQuerySide();
      }
      case COMMAND_KILL -> {
        system.killCommandSide();
        sleep(downMillis);
        system.startCommandSide();
      }
    }
  }

  private static long operations(List<BackgroundWriter> writers) {
    return writers.stream().mapToLong(BackgroundWriter::operations).sum();
  }

  private static void log(String line) {
    System.out.println("soak: " + line);
  }
}
