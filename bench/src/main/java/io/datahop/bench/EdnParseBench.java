package io.datahop.bench;

import io.datahop.edn.Edn;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./datahop bench edn [--data FILE] [--runs N] [--string]}: reads one EDN file N times on
 * one thread, from its UTF-8 bytes to Java values ({@code --string}: decoded to a String first,
 * the decode timed apart), and prints each run's thread CPU and
 * wall milliseconds. The first run is the cold one a CLI {@code transact} pays; run it with
 * {@code DATAHOP_JAVA_OPTS=-XX:TieredStopAtLevel=1} to match the launcher's short runs (C1 only).
 */
public final class EdnParseBench {
  private EdnParseBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of("/tmp/imp1m-data.edn");
    int runs = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> file = Path.of(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--string" -> { }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data FILE, --runs N, --string)");
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    boolean viaString = false;
    for (String a : args) viaString |= a.equals("--string");
    for (int r = 0; r < runs; r++) {
      long a0 = mx.getCurrentThreadAllocatedBytes();
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Object v;
      long cd;
      if (viaString) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        cd = mx.getCurrentThreadCpuTime();
        v = Edn.read(text);
      } else {
        cd = c0;
        v = Edn.read(bytes);
      }
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      sink += ((List<?>) v).size();
      long a1 = mx.getCurrentThreadAllocatedBytes();
      System.out.printf("run %d: cpu %d ms (decode %d), wall %d ms, %.1f ns/byte, allocated %d MB%n",
          r, (c1 - c0) / 1_000_000, (cd - c0) / 1_000_000, (t1 - t0) / 1_000_000, (c1 - c0) / (double) bytes.length,
          (a1 - a0) >> 20);
    }
    System.out.println("forms " + sink / runs);
  }
}
