package io.datahop.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux per-thread counters of a set of processes, summed: how often their threads went to sleep
 * (voluntary context switches: each is a later wake-up) and how much CPU they used (from
 * {@code schedstat}, in nanoseconds). Unlike latencies these hardly depend on what else the
 * machine runs, so they show what a change does to the call path even on a busy machine. Counters
 * of threads that ended between two snapshots are lost; elsewhere they read as zero.
 */
final class ThreadStats {
  /** One reading: sleeps and CPU nanoseconds, and when it was taken. */
  record Snapshot(long sleeps, long cpuNanos, long atNanos) {
    /** {@code this - earlier}. */
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(sleeps - earlier.sleeps, cpuNanos - earlier.cpuNanos, atNanos - earlier.atNanos);
    }
  }

  private final long[] pids;

  ThreadStats(long... pids) {
    this.pids = pids.clone();
  }

  /** True where {@code /proc} has these counters. */
  static boolean available() {
    return Files.isReadable(Path.of("/proc/self/task"));
  }

  Snapshot snapshot() {
    long sleeps = 0;
    long cpu = 0;
    for (long pid : pids) {
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path task : tasks) {
          sleeps += voluntarySwitches(task.resolve("status"));
          cpu += cpuNanos(task.resolve("schedstat"));
        }
      } catch (IOException e) {
        // the process is gone or /proc is missing: its counters read as zero
      }
    }
    return new Snapshot(sleeps, cpu, System.nanoTime());
  }

  private static long voluntarySwitches(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("voluntary_ctxt_switches:")) {
          return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the thread ended meanwhile
    }
    return 0;
  }

  private static long cpuNanos(Path schedstat) {
    try {
      String s = Files.readString(schedstat).trim();
      int space = s.indexOf(' ');
      return Long.parseLong(space < 0 ? s : s.substring(0, space));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
