package io.cqrsbooks.system;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One side of the system in its own JVM (the launcher's {@code Main}, on this test's class path), so a
 * test can kill it the hard way: SIGKILL, no shutdown hook, no graceful stop, as a crash or an OOM kill.
 */
final class SideProcess {

  private final String role;
  private final Process process;
  private final Path log;

  private SideProcess(String role, Process process, Path log) {
    this.role = role;
    this.process = process;
    this.log = log;
  }

  static SideProcess start(String role, JsonObject config, Path dir) {
    try {
      JsonObject fileConfig = config.copy().put("roles", role);
      // The local token is the embedded launch's runtime value, not a configuration key.
      fileConfig.getJsonObject("auth").remove("localToken");
      Path conf = dir.resolve(role + "-config.json");
      Files.writeString(conf, fileConfig.encodePrettily());
      Path log = dir.resolve(role + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "io.cqrsbooks.launcher.Main", role, "--conf", conf.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new SideProcess(role, process, log);
    } catch (IOException e) {
      throw new AssertionError("could not start the " + role + " side: " + e, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the JVM gets no chance to finish anything. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: the shutdown hook stops Vert.x gracefully. */
  void stop() {
    process.destroy();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The end of the process's output, for a failure message. */
  String logTail() {
    try {
      String text = Files.readString(log);
      return role + " side log (end):\n" + text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "no log: " + e;
    }
  }
}
