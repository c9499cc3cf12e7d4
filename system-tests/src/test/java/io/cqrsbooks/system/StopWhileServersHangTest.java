package io.cqrsbooks.system;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deploy or a rolling restart while Kafka and MongoDB hang (a network partition, a stalled host): the
 * {@code servers} process, frozen with SIGSTOP, keeps every connection open and answers nothing. A process told
 * to stop must end within its own graces rather than at its launch's 20 s deadline. Until 2026-11-27 the
 * relay's producer waited without a limit for its unacknowledged sends when it closed, and a consumer up to 30 s
 * for its group's coordinator: the command process ended after 21 s, cut off by its launch with errors, and the
 * query process after 12-22 s.
 */
class StopWhileServersHangTest {

  /** The relay waits 5 s for its drain and each Kafka client up to 2 s to close; the query side's parts 2 s each. */
  static final Duration EXPECTED_STOP = Duration.ofSeconds(12);
  /** Just inside the launch's 20 s wait for its services, past which it cuts them off. */
  static final Duration BEFORE_LAUNCH_DEADLINE = Duration.ofSeconds(19);

  @Test
  void processesToldToStopWhileKafkaAndMongoDbHangEndWithinTheirGraces() throws Exception {
    try (Cluster cluster = Cluster.start(1, 1, Map.of())) {
      for (int i = 0; i < 5; i++) {
        assertEquals(201, cluster.command("command-1", HttpMethod.POST, "/api/books",
            TestSystem.book("before the hang " + i, 100, 1_000)).statusCode());
      }
      cluster.servers().freeze(true);
      try {
        // MariaDB is a process of its own, so commands are still taken; the relay's sends to Kafka hang.
        for (int i = 0; i < 3; i++) {
          assertEquals(201, cluster.command("command-1", HttpMethod.POST, "/api/books",
              TestSystem.book("during the hang " + i, 100, 1_000)).statusCode());
        }
        sleep(3_000);
        SideProcess commandProcess = cluster.node("command-1").process();
        Duration command = commandProcess.timedStop(BEFORE_LAUNCH_DEADLINE);
        Duration query = cluster.node("query-1").process().timedStop(BEFORE_LAUNCH_DEADLINE);
        System.out.println("stopped while Kafka and MongoDB hang: command process in " + command.toMillis()
            + " ms, query process in " + query.toMillis() + " ms");
        assertTrue(command.compareTo(EXPECTED_STOP) < 0, "the command process took " + command.toMillis() + " ms: "
            + cluster.node("command-1").process().logTail());
        assertTrue(query.compareTo(EXPECTED_STOP) < 0, "the query process took " + query.toMillis() + " ms: "
            + cluster.node("query-1").process().logTail());
        assertEquals(List.of(), commandProcess.errorsSinceStopping(), "the command process's errors while stopping");
      } finally {
        cluster.servers().freeze(false);
      }
    }
  }
}
