package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL's open connections go silent for good (a partition that does not heal, a primary's host gone without
 * closing them), while a new connection reaches a server: both sides reach MySQL through a {@link TcpProxy}
 * that can do that. A statement waiting on a silent connection fails after {@code mysql.socketTimeoutSeconds},
 * and the connection with it: a command is answered 503 instead of hanging, the next ones are stored on new
 * connections, and the relay, whose lease lived on a silent connection, takes the lease again on a new one and
 * publishes. Until 2026-11-27 nothing bounded such a wait: the relay's drain waited for ever, so nothing written
 * after the silence was ever published, and a command that met a silent pooled connection was never answered.
 */
class MySqlConnectionsSilencedTest extends SystemTest {

  private static final int SOCKET_TIMEOUT_SECONDS = 3;
  private TcpProxy link;

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.start(config -> {
      JsonObject mysql = config.getJsonObject("mysql");
      link = TcpProxy.to(mysql.getInteger("port"));
      mysql.put("port", link.port()).put("socketTimeoutSeconds", SOCKET_TIMEOUT_SECONDS);
    });
  }

  /** The link stays open after the test: the system is stopped after it, and its stop should find MySQL. */
  @Test
  void commandsAndTheRelayCarryOnOnNewConnectionsOnceMySqlsConnectionsWentSilent() {
    for (int i = 0; i < 4; i++) {
      // Several commands at once, so the pool holds more than one connection when they go silent.
      system.createBook(TestSystem.book("Before the silence " + i, 10, 1_000));
    }
    long before = system.createBook(TestSystem.book("Last before the silence", 10, 1_000)).bodyAsJsonObject().getLong("bid");
    awaitTrue("a book reaches the read model", Duration.ofSeconds(30), () -> system.get("/api/books/" + before).statusCode() == 200);

    link.silenceOpenConnections();
    long silenced = System.nanoTime();
    long after = -1;
    int refused = 0;
    while (after < 0) {
      // A command that meets a silent connection is answered once the socket timeout ends it (the client gives up at 15 s).
      HttpResponse<Buffer> response = system.command(HttpMethod.POST, "/api/books", TestSystem.book("After the silence", 10, 1_000));
      if (response.statusCode() == 201) {
        after = response.bodyAsJsonObject().getLong("bid");
      } else {
        assertEquals(503, response.statusCode(), response.bodyAsString());
        refused++;
        assertTrue(refused <= 10, "still refused after " + refused + " tries: " + response.bodyAsString());
      }
    }
    long stored = System.nanoTime();
    long bid = after;
    awaitTrue("the book created after the silence reaches the read model", Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS + 25),
        () -> system.get("/api/books/" + bid).statusCode() == 200);
    System.out.printf("after MySQL's connections went silent: a book stored %d ms later (%d command(s) answered 503 first),"
            + " readable %d ms later (socket timeout %d s)%n", (stored - silenced) / 1_000_000, refused,
        (System.nanoTime() - silenced) / 1_000_000, SOCKET_TIMEOUT_SECONDS);
    awaitTrue("the command side is ready", Duration.ofSeconds(30), () -> system.commandGet("/ready").statusCode() == 200);
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
  }
}
