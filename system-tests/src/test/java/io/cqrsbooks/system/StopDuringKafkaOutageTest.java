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
    SideProcess commandSide = system.sideProcess("command");
    SideProcess querySide = system.sideProcess("query");
    Duration command = commandSide.timedStop(StopWhileServersHangTest.BEFORE_LAUNCH_DEADLINE);
    Duration query = querySide.timedStop(StopWhileServersHangTest.BEFORE_LAUNCH_DEADLINE);

    System.out.println("stopped during a Kafka outage: command side in " + command.toMillis() + " ms, query side in "
        + query.toMillis() + " ms");
    assertTrue(command.compareTo(StopWhileServersHangTest.EXPECTED_STOP) < 0, "the command side took "
        + command.toMillis() + " ms: " + commandSide.logTail());
    assertTrue(query.compareTo(StopWhileServersHangTest.EXPECTED_STOP) < 0, "the query side took "
        + query.toMillis() + " ms: " + querySide.logTail());
    assertEquals(List.of(), commandSide.errorsSinceStopping(), "the command side's errors while stopping");
    assertEquals(List.of(), querySide.errorsSinceStopping(), "the query side's errors while stopping");
  }
}
