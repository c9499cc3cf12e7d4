package io.cqrsbooks.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deploy or a rolling restart while the Kafka broker is down: each side, told to stop (SIGTERM) while the
 * relay's sends wait for the broker, ends within its own graces and logs no error. Until 2026-11-27 every send
 * that failed was also logged by Vert.x as an unhandled error (the relay handled it through its future but set
 * no exception handler on the producer). A broker that hangs instead: {@link StopWhileServersHangTest}.
 */
class StopDuringKafkaOutageTest extends SystemTest {

  /** The relay waits 5 s for its drain, then each Kafka client up to 2 s to close. */
  private static final Duration EXPECTED_STOP = Duration.ofSeconds(12);
  private static final Duration LAUNCH_DEADLINE = Duration.ofSeconds(20);

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.startInProcesses();
  }

  @Test
  void bothSidesToldToStopWhileKafkaIsDownEndWithinTheirGracesAndLogNoError() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, system.createBook(TestSystem.book("before the outage " + i, 100, 1_000)).statusCode());
    }
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    system.servers.kafka().stop();
    for (int i = 0; i < 5; i++) {
      assertEquals(201, system.createBook(TestSystem.book("during the outage " + i, 100, 1_000)).statusCode());
    }
    sleep(2_000);
    assertTrue(system.unpublishedEvents() > 0, "the relay's sends wait for Kafka");

    assertEquals(200, system.get("/health").statusCode(), "the query side is up before it is told to stop");
    long started = System.nanoTime();
    assertTrue(system.terminateCommandSide(LAUNCH_DEADLINE.minusSeconds(1)),
        "the command side did not end before the launch's deadline: " + system.commandSideLog());
    Duration command = Duration.ofNanos(System.nanoTime() - started);
    started = System.nanoTime();
    assertTrue(system.terminateQuerySide(LAUNCH_DEADLINE.minusSeconds(1)),
        "the query side did not end before the launch's deadline: " + system.querySideLog());
    Duration query = Duration.ofNanos(System.nanoTime() - started);

    System.out.println("stopped during a Kafka outage: command side in " + command.toMillis() + " ms, query side in "
        + query.toMillis() + " ms");
    assertTrue(command.compareTo(EXPECTED_STOP) < 0, "the command side took " + command.toMillis() + " ms: "
        + system.commandSideLog());
    assertTrue(query.compareTo(EXPECTED_STOP) < 0, "the query side took " + query.toMillis() + " ms: "
        + system.querySideLog());
    assertEquals(List.of(), StopWhileServersHangTest.errorsAfterStopping(system.commandSideLog()),
        "the command side's errors while stopping");
    assertEquals(List.of(), StopWhileServersHangTest.errorsAfterStopping(system.querySideLog()),
        "the query side's errors while stopping");
  }
}
