package io.cqrsbooks.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent by named processes (from {@code /proc/<pid>/stat}) and by the whole machine (from
 * {@code /proc/stat}) between two samples, turned into milliseconds of CPU per operation. What the named
 * processes did not use is the load generator and everything else on the machine.
 */
final class CpuMeter {

  record Sample(long machineBusyTicks, long machineTotalTicks, Map<String, Long> processTicks) {
  }

  private final Map<String, Long> pids;
  private final double millisPerTick;

  CpuMeter(Map<String, Long> pids, int clockTicksPerSecond) {
    this.pids = pids;
    this.millisPerTick = 1000.0 / clockTicksPerSecond;
  }

  Sample sample() {
    long[] machine = machineTicks();
    Map<String, Long> processes = new LinkedHashMap<>();
    pids.forEach((name, pid) -> processes.put(name, processTicks(pid)));
    return new Sample(machine[0], machine[1], processes);
  }

  /** CPU milliseconds per operation for each process, the rest of the machine, and how busy the machine was. */
  JsonObject between(Sample before, Sample after, long operations) {
    long busy = after.machineBusyTicks() - before.machineBusyTicks();
    long total = after.machineTotalTicks() - before.machineTotalTicks();
    JsonObject perOperation = new JsonObject();
    long named = 0;
    for (String name : pids.keySet()) {
      long ticks = after.processTicks().get(name) - before.processTicks().get(name);
      named += ticks;
      perOperation.put(name, perOperation(ticks, operations));
    }
    perOperation.put("load generator and the rest", perOperation(busy - named, operations));
    return new JsonObject()
        .put("machineBusyPercent", total == 0 ? 0 : Math.round(1000.0 * busy / total) / 10.0)
        .put("cpuMillisPerOperation", perOperation);
  }

  private double perOperation(long ticks, long operations) {
    return operations == 0 ? 0 : Math.round(1000.0 * ticks * millisPerTick / operations) / 1000.0;
  }

  /** {busy, total} over all cores: the first line of /proc/stat (user nice system idle iowait irq softirq steal). */
  private static long[] machineTicks() {
    String[] fields = firstLine(Path.of("/proc/stat")).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i <= 8 && i < fields.length; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new long[] {total - idle, total};
  }

  /** utime + stime of a process; 0 when it is gone. */
  private static long processTicks(long pid) {
    Path stat = Path.of("/proc", String.valueOf(pid), "stat");
    if (!Files.exists(stat)) {
      return 0;
    }
    String line = firstLine(stat);
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
