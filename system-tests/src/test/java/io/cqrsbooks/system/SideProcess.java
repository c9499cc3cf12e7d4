package io.cqrsbooks.system;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One side of the system in its own JVM (the launcher's {@code Main}, on this test's class path), so a
 * test can kill it the hard way: SIGKILL, no shutdown hook, no graceful stop, as a crash or an OOM kill.
 */
final class SideProcess {

  private final String role;
  private final Process process;
  private final Path log;
  /** Where this process's output starts in the log (a process started again under a name appends to it). */
  private final long logStart;

  private SideProcess(String role, Process process, Path log, long logStart) {
    this.role = role;
    this.process = process;
    this.log = log;
    this.logStart = logStart;
  }

  static SideProcess start(String role, JsonObject config, Path dir) {
    try {
      JsonObject fileConfig = config.copy().put("roles", role);
      Path conf = dir.resolve(role + "-config.json");
      Files.writeString(conf, fileConfig.encodePrettily());
      return start(role, "256m", List.of(role, "--conf", conf.toString()), Map.of(), dir);
    } catch (IOException e) {
      throw new AssertionError("could not start the " + role + " side: " + e, e);
    }
  }

  /**
   * {@code java ... Main <arguments>} with these environment variables added, as a user would start it;
   * its output goes to {@code <dir>/<name>.log}.
   */
  static SideProcess start(String name, String heap, List<String> arguments, Map<String, String> environment,
      Path dir) {
    try {
      Path log = dir.resolve(name + ".log");
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "io.cqrsbooks.launcher.Main"));
      command.addAll(arguments);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      // A test JVM that ends before closing its system must not leave command or query JVMs behind.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
      return new SideProcess(name, process, log, logStart);
    } catch (IOException e) {
      throw new AssertionError("could not start " + name + ": " + e, e);
    }
  }

  /** Waits for the process to end by itself and returns its exit status. */
  int exitCode(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(role + " did not end within " + timeout + "; its output: " + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
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

  /** SIGSTOP (true) or SIGCONT (false): the process stays connected and answers nothing, or resumes. */
  void freeze(boolean frozen) throws Exception {
    Process signal = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(process.pid())).inheritIO().start();
    if (signal.waitFor() != 0) {
      throw new AssertionError("kill " + (frozen ? "-STOP" : "-CONT") + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM: the shutdown hook stops Vert.x gracefully. */
  void stop() {
    process.destroy();
    awaitExit();
  }

  /** SIGTERM; how long the JVM took to end, which it must do by itself within {@code limit}. */
  Duration timedStop(Duration limit) {
    long started = System.nanoTime();
    if (!stopWithin(limit)) {
      throw new AssertionError(role + " did not end within " + limit + " of SIGTERM: " + logTail());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** The lines logged at ERROR since the process said it was stopping (it must have said so). */
  List<String> errorsSinceStopping() {
    String text = log();
    int stopping = text.indexOf("cqrs-books: stopping");
    if (stopping < 0) {
      throw new AssertionError(role + " never said it was stopping: " + logTail());
    }
    return text.substring(stopping).lines().filter(line -> line.contains("[ERROR]")).toList();
  }

  /** SIGTERM, then true if the JVM ended by itself within the time (false: it had to be killed). */
  boolean stopWithin(Duration timeout) {
    process.destroy();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      process.destroyForcibly().waitFor();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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

  /** Everything this process (not an earlier one under the same name) has written so far. */
  String log() {
    try {
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
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
