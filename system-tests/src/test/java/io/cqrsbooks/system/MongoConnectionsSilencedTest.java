package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MongoDB's open connections go silent for good (a partition that does not heal, a host gone without closing
 * them), while a new connection reaches a server (the one that took its place): the query side reaches MongoDB
 * through a {@link TcpProxy} that can do that. An operation waiting on a silent connection fails after
 * {@code mongo.socketTimeoutSeconds} and is sent again on a new one. Until 2026-11-27 there was no such limit:
 * the projection waited for ever (90 s and more, by hand) while {@code /ready} still said ready.
 */
class MongoConnectionsSilencedTest extends SystemTest {

  private static final int SOCKET_TIMEOUT_SECONDS = 3;
  private TcpProxy link;

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.start(config -> {
      JsonObject mongo = config.getJsonObject("mongo");
      link = TcpProxy.to(URI.create(mongo.getString("connectionString")).getPort());
      mongo.put("connectionString", "mongodb://127.0.0.1:" + link.port()).put("socketTimeoutSeconds", SOCKET_TIMEOUT_SECONDS);
    });
  }

  /** The link stays open after the test: the system is stopped after it, and its stop should find MongoDB. */
  @Test
  void aBookWrittenOnceMongoDbsConnectionsWentSilentReachesTheReadModelOnANewConnection() throws Exception {
    long before = created("before the silence");
    awaitTrue("a book reaches the read model", Duration.ofSeconds(30), () -> system.get("/api/books/" + before).statusCode() == 200);

    link.silenceOpenConnections();
    long after = created("after the silence");
    long silenced = System.nanoTime();
    awaitTrue("the book written after the silence reaches the read model", Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS + 25),
        () -> system.get("/api/books/" + after).statusCode() == 200);
    System.out.println("after MongoDB's connections went silent, a new book was readable "
        + (System.nanoTime() - silenced) / 1_000_000 + " ms later (socket timeout " + SOCKET_TIMEOUT_SECONDS + " s)");
    awaitTrue("the query side is ready", Duration.ofSeconds(30), () -> system.get("/ready").statusCode() == 200);
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
  }

  private long created(String title) {
    HttpResponse<Buffer> response = system.createBook(TestSystem.book(title, 10, 1_000));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getLong("bid");
  }
}
