package io.datahop.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/** Wall-clock samples of one operation: warm up, then time each run; report median/min/max. */
record Timing(double medianMs, double minMs, double maxMs, Object lastResult) {
  static Timing measure(Supplier<Object> op, int warmup, int runs) {
    Object last = null;
    long warmEnd = System.nanoTime() + 2_000_000_000L;
    for (int i = 0; i < warmup && (i < 3 || System.nanoTime() < warmEnd); i++) {
      last = op.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      last = op.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    return new Timing(median, ms[0], ms[runs - 1], last);
  }
}
