package io.cqrsbooks.system;

import io.cqrsbooks.launcher.CqrsBooks;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two command sides on one database: one relays, the other only writes. */
class OutboxRelayTest extends SystemTest {

  @Test
  void aCommandSideWithoutTheLeaseLeavesRelayingToTheHolderAndDoesNotKeepConnecting() throws Exception {
    int port = Waits.freePort();
    JsonObject config = system.config().copy().put("roles", "command");
    config.getJsonObject("command").put("httpPort", port);
    CqrsBooks second = CqrsBooks.start(config);
    try {
      long connectionsBefore = mysqlConnectionsSoFar();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "application/json").add("Authorization", "Bearer " + system.token);
      int commands = 100;
      for (int i = 0; i < commands; i++) {
        Buffer body = book("Written beside the relay " + i, 10 + i, i).toBuffer();
        assertEquals(201, system.send(HttpMethod.POST, port, "/api/books", headers, body).statusCode());
      }
      long opened = mysqlConnectionsSoFar() - connectionsBefore;
      // It asks for the lease on its periodic tick only (every 200 ms here), not after each of its commits.
      assertTrue(opened < commands / 3, "the second command side opened " + opened + " connections for "
          + commands + " commands");
      system.awaitReadModelEqualsMySql(Duration.ofSeconds(20));
      assertEquals(0, system.unpublishedEvents(), "the lease holder published the second side's events");
    } finally {
      second.close();
    }
  }

  private static long mysqlConnectionsSoFar() {
    Row row = await(system.mysql().query("SHOW GLOBAL STATUS LIKE 'Connections'").execute()).iterator().next();
    return Long.parseLong(row.getString(1));
  }
}
