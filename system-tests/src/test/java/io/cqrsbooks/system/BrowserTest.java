package io.cqrsbooks.system;

import ch.qos.logback.classic.Level;
import io.cqrsbooks.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The UI in headless Debian Chromium, driven by webroot/e2e/books.e2e.mjs (playwright-core):
 * add a book, see it live in a second browser, a field error for a bad price, edit; what is typed right after
 * a book appears is kept, and an edit opened while a save is unanswered stays open (each answer held back so the
 * live stream wins the race CI once lost); a browser that lost
 * its stream is sent what it missed on reconnecting, or told to reload when that is beyond the window;
 * delete; and a
 * browser that is not handed a token asks for one, refuses a wrong one and works with a valid one.
 * Chromium is installed by ./run.sh test; without it this test fails rather than pretending.
 */
class BrowserTest {

  /** The UI as a newcomer gets it: the embedded launch, which hands the local browser its token. */
  @Test
  void theUiAddsEditsAndDeletesBooksAndFollowsChangesLive(@TempDir Path dataDir) throws Exception {
    // A replay window of 3 changes, so the UI meets both a replay and a "reload" when it reconnects.
    // Each command stored, each batch published and applied, and any consumer group rebalance are in the log tail.
    try (LogTail tail = LogTail.keep(600, Map.of("io.cqrsbooks.command.BookStore", Level.DEBUG,
        "io.cqrsbooks.command.OutboxRelay", Level.DEBUG, "io.cqrsbooks.query.BookEventConsumer", Level.DEBUG,
        "org.apache.kafka.clients.consumer.internals", Level.INFO));
         EmbeddedLaunch launch = EmbeddedLaunch.start(dataDir,
             Map.of(Config.environmentName("query.changeReplayWindow"), "3"))) {
      runE2e(launch, tail);
    }
  }

  private static void runE2e(EmbeddedLaunch launch, LogTail tail) throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    assertTrue(Files.isExecutable(chromium), chromium + " is missing: run ./run.sh test, which installs Debian's chromium");
    Path webroot = Path.of(System.getProperty("webroot.dir", "../webroot")).toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(webroot.resolve("node_modules/playwright-core")),
        "playwright-core is missing in webroot/node_modules: the Maven build runs npm install");

    File log = File.createTempFile("cqrs-books-e2e", ".log");
    ProcessBuilder builder = new ProcessBuilder("node", "e2e/books.e2e.mjs")
        .directory(webroot.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log);
    builder.environment().put("BASE_URL", "http://localhost:" + launch.queryPort);
    builder.environment().put("CHROMIUM", chromium.toString());
    builder.environment().put("COMMAND_TOKEN", launch.localToken());
    Process node = builder.start();
    boolean finished = node.waitFor(3, TimeUnit.MINUTES);
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    System.out.println(output);
    // On failure, the message carries the launch's own log too: what each command stored and each event applied.
    String explained = output + "\nthe launch's last log lines (UTC):\n" + tail.lines();
    assertTrue(finished, "the browser test did not finish in 3 minutes:\n" + explained);
    assertEquals(0, node.exitValue(), explained);
    assertTrue(output.contains("e2e: 25 passed, 0 failed"), explained);
  }
}
