package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.FaultyFileIo.Mode;
import io.datahop.store.FaultyFileIo.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps of injected storage faults over {@link FaultWorkload}: for every N, the N-th operation
 * of a kind fails (or the power goes there), the workload carries on as a user would, and then the
 * store is reopened with a healthy file system and checked ({@link FaultWorkload#check}). Runs
 * whose fault leaves the page cache intact are checked twice: as the files are, and after a power
 * cut that keeps only what was durable (so a store that acknowledged a commit after a failed
 * force, whose pages Linux forgets, is caught).
 *
 * <p>The counts go to standard output ("fault sweep: ...") and to {@code target/fault-sweeps.txt}.
 * With {@code -Ddatahop.long=true} each torn power cut is tried with more random seeds.
 */
class FileStoreFaultsTest {
  private static final boolean LONG = Boolean.getBoolean("datahop.long");
  private static final long SEED = Long.getLong("datahop.seed", 14_2026L);
  private static final long DATA_SEED = 7;

  @TempDir Path tmp;
  private int runs;

  /** Operations of the workload without faults (the sweep bounds). */
  private static long failCountable;
  private static long writes;
  private static long changes;

  @BeforeAll
  static void countOperations(@TempDir Path dir) {
    FaultyFileIo counting = new FaultyFileIo(Plan.none());
    Path store = dir.resolve("count");
    FaultWorkload w = new FaultWorkload(store, DATA_SEED);
    try (AutoCloseable sub = FileIo.substitute(store, counting)) {
      w.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(w.failures).as("the workload without faults").isEmpty();
    assertThat(w.acked).hasSize(FaultWorkload.TXS);
    var counts = counting.counts();
    failCountable = counting.failCountable();
    writes = counts.get(FaultyFileIo.Op.WRITE);
    changes = counts.values().stream().mapToLong(Long::longValue).sum();
    report("workload without faults: " + counts);
  }

  @Test
  void failingTheNthWriteForceOrTruncateLosesNothingAcknowledged() throws Exception {
    sweep("fail the N-th write/force/truncate", Mode.FAIL, false, failCountable);
  }

  @Test
  void aFailureAfterPartOfTheWorkLosesNothingAcknowledged() throws Exception {
    // half a write written, a force's data durable, a truncate done: then the error
    sweep("fail the N-th write/force/truncate, half done", Mode.FAIL, true, failCountable);
  }

  @Test
  void aFullDiskFromTheNthWriteLosesNothingAcknowledged() throws Exception {
    sweep("ENOSPC from the N-th write", Mode.ENOSPC, true, writes);
  }

  @Test
  void aPowerCutAtTheNthChangeKeepsWhatWasAcknowledged() throws Exception {
    sweep("power cut at the N-th change", Mode.CUT, false, changes);
  }

  @Test
  void aPowerCutThatTearsUnforcedWritesKeepsWhatWasAcknowledged() throws Exception {
    sweep("power cut at the N-th change, unforced writes torn", Mode.CUT, true, changes);
  }

  /** Runs the workload once per N in [1, last + 1] (the last run has no fault) and checks each. */
  private void sweep(String what, Mode mode, boolean flag, long last) throws Exception {
    long start = System.nanoTime();
    int triggered = 0;
    int checked = 0;
    int failedSteps = 0;
    int tornSeeds = mode == Mode.CUT && flag ? (LONG ? 8 : 1) : 1;
    for (long n = 1; n <= last + 1; n++) {
      for (int t = 0; t < tornSeeds; t++) {
        long seed = SEED * 1_000_003L + n * 31 + t;
        String label = what + ", N=" + n + (tornSeeds > 1 ? ", seed " + seed : "") + " (-Ddatahop.seed=" + SEED + ")";
        Path dir = tmp.resolve("run" + runs++);
        FaultyFileIo io = new FaultyFileIo(new Plan(mode, n, mode == Mode.FAIL && flag));
        FaultWorkload w = new FaultWorkload(dir, DATA_SEED);
        try (AutoCloseable sub = FileIo.substitute(dir, io)) {
          w.run();
        }
        if (io.triggered() != null) {
          triggered++;
          label += " [" + io.triggered().replace(dir.toString(), "") + "]";
        }
        w.checkFailures(label);
        if (!w.failures.isEmpty()) {
          failedSteps++;
        }
        if (mode == Mode.CUT) {
          io.powerCut(dir, dir, new SplittableRandom(seed), flag);
          w.check(dir, label);
          checked++;
        } else {
          Path cut = tmp.resolve("run" + runs++);
          copyTree(dir, cut);
          io.powerCut(dir, cut, new SplittableRandom(seed), false);
          w.check(dir, label + ", as the files are");
          w.check(cut, label + ", after a power cut");
          checked += 2;
          deleteTree(cut);
        }
        deleteTree(dir);
      }
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    report(String.format(
        "%s: N = 1..%d (+1 without a fault)%s, %d runs hit their fault, %d had failing steps, "
            + "%d reopened stores verified and checked, %d ms",
        what, last, tornSeeds > 1 ? " x " + tornSeeds + " seeds" : "", triggered, failedSteps, checked, ms));
    // the workload's operations may vary a little between runs (threads), so not every N need hit
    assertThat(triggered).as(what + ": runs that hit their fault").isGreaterThanOrEqualTo((int) (last * tornSeeds * 9 / 10));
  }

  private static synchronized void report(String line) {
    System.out.println("fault sweep: " + line);
    try {
      Path out = Path.of("target", "fault-sweeps.txt");
      if (Files.isDirectory(out.getParent())) {
        Files.writeString(out, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
