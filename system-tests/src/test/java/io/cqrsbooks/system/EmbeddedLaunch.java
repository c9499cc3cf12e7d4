package io.cqrsbooks.system;

import io.cqrsbooks.config.Config;
import io.cqrsbooks.launcher.AppConfig;
import io.cqrsbooks.launcher.CqrsBooks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.cqrsbooks.system.Waits.freePort;

/**
 * What {@code ./run.sh} starts, in this JVM: the defaults of {@code conf/}, embedded servers, both roles in
 * one process. Only the data folder and the ports differ, so it runs beside anything else on the machine.
 */
final class EmbeddedLaunch implements AutoCloseable {

  final CqrsBooks app;
  final int commandPort;
  final int queryPort;

  private EmbeddedLaunch(CqrsBooks app, int commandPort, int queryPort) {
    this.app = app;
    this.commandPort = commandPort;
    this.queryPort = queryPort;
  }

  static EmbeddedLaunch start(Path dataDir) throws Exception {
    return start(dataDir, Map.of());
  }

  /** As {@link #start(Path)}, with more configuration given as environment variables. */
  static EmbeddedLaunch start(Path dataDir, Map<String, String> more) throws Exception {
    int commandPort = freePort();
    int queryPort = freePort();
    Map<String, String> environment = new HashMap<>(more);
    environment.putAll(Map.of(
        Config.environmentName("dataDir"), dataDir.toString(),
        Config.environmentName("command.httpPort"), String.valueOf(commandPort),
        Config.environmentName("query.httpPort"), String.valueOf(queryPort),
        // The defaults allow the UI on :8080; this one is served from another port.
        Config.environmentName("command.corsOrigins"), "http://localhost:" + queryPort + ",http://127.0.0.1:" + queryPort));
    return new EmbeddedLaunch(CqrsBooks.start(AppConfig.load(null, environment)), commandPort, queryPort);
  }

  String localToken() {
    return app.localCommandToken().orElseThrow(() -> new AssertionError("the embedded launch minted no local token"));
  }

  @Override
  public void close() {
    app.close();
  }
}
