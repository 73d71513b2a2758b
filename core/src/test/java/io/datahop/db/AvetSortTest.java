package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AVET built from AEVT runs (grouped by value, sorted by value alone, on one thread or two)
 * is exactly the batch sorted with the AVET comparator, whatever the runs hold: one value class
 * or several, values unique or repeated, assertions and retractions of the same value, runs
 * below and above the sizes that switch strategy. Seed printed on failure; pin one with {@code
 * -Ddatahop.seed=N}.
 */
class AvetSortTest {
  private int savedParallelRun;

  @BeforeEach
  void lowerThreshold() {
    savedParallelRun = AvetSort.parallelRun;
    AvetSort.parallelRun = 50; // so small batches take the two-thread path too
  }

  @AfterEach
  void restoreThreshold() {
    AvetSort.parallelRun = savedParallelRun;
  }

  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(1L, 42L, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void avetFromAevtRunsEqualsAPlainSort(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 24; round++) {
      int attrs = 1 + r.nextInt(6);
      int n = switch (round % 8) {
        case 0, 4 -> 1 + r.nextInt(60); // below the grouping threshold
        case 1, 5 -> 60 + r.nextInt(400);
        case 7 -> 20_000 + r.nextInt(10_000);
        default -> 1_000 + r.nextInt(5_000);
      };
      List<Datom> batch = batch(r, n, attrs);
      String where = "seed " + seed + " round " + round + " n " + batch.size() + " attrs " + attrs;
      Datom[] aevt = batch.toArray(new Datom[0]);
      Arrays.sort(aevt, DatomOrder.AEVT);
      Indexes.Runs runs = Indexes.Runs.of(Arrays.asList(aevt));
      assertThat(runs.list()).as(where + " aevt").containsExactly(aevt);
      List<Datom> want = new ArrayList<>(batch);
      want.sort(DatomOrder.AVET);
      assertThat(Indexes.avetOf(runs, false)).as(where + " one thread").isEqualTo(want);
      assertThat(Indexes.avetOf(runs, true)).as(where + " two threads").isEqualTo(want);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void sortableDoublesOrderAsDoubleCompare(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};
    for (int i = 0; i < 10_000; i++) {
      double x = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-20, 20));
      double y = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-20, 20));
      assertThat(Integer.signum(Long.compare(AvetSort.sortable(x), AvetSort.sortable(y))))
          .as("seed " + seed + ": " + x + " vs " + y)
          .isEqualTo(Integer.signum(Double.compare(x, y)));
    }
  }

  /** Datoms of a few attributes, each drawing its values in its own way, in no order. */
  private static List<Datom> batch(SplittableRandom r, int n, int attrs) {
    int[] kind = new int[attrs];
    int[] distinct = new int[attrs];
    for (int a = 0; a < attrs; a++) {
      kind[a] = r.nextInt(8);
      distinct[a] = switch (r.nextInt(3)) {
        case 0 -> 1 + r.nextInt(4); // a handful: grouped
        case 1 -> 1 + n / (8 + r.nextInt(40)); // around the grouping limit
        default -> 10 * n; // nearly unique: sorted
      };
    }
    long tx = Ids.txEid(3);
    LinkedHashSet<Datom> out = new LinkedHashSet<>();
    while (out.size() < n) {
      int a = r.nextInt(attrs);
      long e = Ids.USER_PART + r.nextInt(Math.max(1, n / 2));
      Object v = value(r, kind[a], r.nextInt(distinct[a]));
      if (r.nextInt(10) == 0) {
        // history shape: the same value asserted and retracted, in two transactions
        long tx2 = tx + 1 + r.nextInt(3);
        out.add(new Datom(e, 100 + a, v, tx2, false));
        out.add(new Datom(e, 100 + a, v, tx2, true));
      }
      out.add(new Datom(e, 100 + a, v, tx, true));
    }
    return new ArrayList<>(out);
  }

  private static Object value(SplittableRandom r, int kind, int i) {
    return switch (kind) {
      case 0 -> new String("s-" + i); // equal strings, distinct objects, as parsed
      case 1 -> (long) i - 50;
      case 2 -> i % 5 == 0 ? -0.0 : i % 5 == 1 ? 0.0 : i % 5 == 2 ? Double.NaN : i / 4.0 - 3; // -0.0 < 0.0
      case 3 -> Keyword.of("k/" + i);
      case 4 -> i % 2 == 0;
      case 5 -> BigInteger.valueOf(i); // a class that is sorted, never grouped
      case 6 -> r.nextInt(50) == 0 ? (Object) (long) i : (Object) ("x" + i); // strings, now and then a long
      default -> switch (r.nextInt(4)) { // mixed classes in one run
        case 0 -> "m" + i;
        case 1 -> (long) i;
        case 2 -> (double) i;
        default -> Keyword.of("m/" + i);
      };
    };
  }
}
