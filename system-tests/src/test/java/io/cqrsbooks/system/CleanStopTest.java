package io.cqrsbooks.system;

import io.cqrsbooks.config.Config;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.freePort;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Ctrl-C (SIGTERM) on the embedded launch, {@code ./run.sh} as a newcomer runs it, while commands flow: the
 * application stops before the servers it uses, so nothing after "stopping" in its log is a warning or an
 * error (MariaDB used to be stopped by its own exit hook beside ours, and the relay then warned that its
 * connection was lost), and no MariaDB is left running. Three stops, as the race it guards against was
 * one stop in five.
 */
class CleanStopTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void ctrlCWhileCommandsFlowStopsTheApplicationBeforeItsServers(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    for (int round = 1; round <= 3; round++) {
      int queryPort = freePort();
      int commandPort = freePort();
      SideProcess launch = SideProcess.start("launch-" + round, "512m", List.of(), Map.of(
          Config.environmentName("dataDir"), data.toString(),
          Config.environmentName("query.httpPort"), String.valueOf(queryPort),
          Config.environmentName("command.httpPort"), String.valueOf(commandPort)), dir);
      awaitTrue("launch " + round + " is ready", Duration.ofSeconds(120),
          () -> status("http://127.0.0.1:" + queryPort + "/ready") == 200, launch::logTail);
      // The local browser's token, as the UI gets it.
      String token = new JsonObject(get("http://127.0.0.1:" + queryPort + "/api/config").body()).getString("commandToken");

      AtomicInteger accepted = new AtomicInteger();
      Thread writer = new Thread(() -> writeUntilRefused(commandPort, token, accepted), "clean-stop-writer");
      writer.start();
      awaitTrue("commands are accepted", Duration.ofSeconds(30), () -> accepted.get() >= 20, launch::logTail);

      assertTrue(launch.stopWithin(Duration.ofSeconds(45)), "launch " + round + " did not end within 45 s of SIGTERM");
      writer.join(10_000);

      String log = launch.log();
      int stopping = log.indexOf("cqrs-books: stopping");
      assertTrue(stopping >= 0, "no 'stopping' in the log:\n" + launch.logTail());
      String afterStop = log.substring(stopping);
      for (String alarming : List.of("WARN", "ERROR", "Exception")) {
        assertFalse(afterStop.contains(alarming), "round " + round + ", " + accepted.get()
            + " commands accepted: '" + alarming + "' after SIGTERM:\n" + afterStop);
      }
      assertTrue(afterStop.contains("cqrs-books: stopped"), afterStop);
      assertTrue(ProcessHandle.allProcesses().noneMatch(process -> runsOn(process, data)),
          "a MariaDB of this launch is still running after it stopped");
    }
  }

  /** Creates books until the command side stops answering (its process was told to stop). */
  private static void writeUntilRefused(int commandPort, String token, AtomicInteger accepted) {
    for (int i = 0; ; i++) {
      try {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + commandPort + "/api/books"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("title", "Stop " + i).put("pages", 1).put("price", 1).encode()))
            .timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() == 201) {
          accepted.incrementAndGet();
        }
      } catch (Exception refused) {
        return;
      }
    }
  }

  private static boolean runsOn(ProcessHandle process, Path data) {
    return process.info().commandLine().map(line -> line.contains("mariadbd") && line.contains(data.toString())).orElse(false);
  }

  private static int status(String url) {
    try {
      return get(url).statusCode();
    } catch (Exception notYet) {
      return -1;
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
