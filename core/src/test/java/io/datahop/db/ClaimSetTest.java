package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The claimed-values set of a new-entities plan answers like a {@link HashSet}: add reports a
 * repeat exactly when an equal value was added before (strings, longs, byte arrays by content,
 * values whose hashes collide), across growth from a too-small size, and two sets intersect
 * exactly when they share a value. Seed printed on failure; pin one with {@code -Ddatahop.seed=N}.
 */
class ClaimSetTest {
  static List<Long> seeds() {
    return NewEntitiesTest.seeds();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void behavesLikeAHashSet(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 40; round++) {
      int range = 1 + r.nextInt(round < 20 ? 50 : 20_000);
      int n = r.nextInt(2 * range + 1);
      ClaimSet a = new ClaimSet(r.nextInt(n + 1)), b = new ClaimSet(r.nextInt(n + 1));
      Set<Object> ma = new HashSet<>(), mb = new HashSet<>();
      for (int i = 0; i < n; i++) {
        Object v = value(r, range);
        boolean first = r.nextBoolean();
        boolean added = first ? a.add(v) : b.add(v);
        if (added != (first ? ma : mb).add(v)) fail("seed " + seed + " round " + round + " value " + v + " added " + added);
      }
      assertThat(a.size()).isEqualTo(ma.size());
      Set<Object> common = new HashSet<>(ma);
      common.retainAll(mb);
      String where = "seed " + seed + " round " + round;
      assertThat(a.intersects(b)).as(where).isEqualTo(!common.isEmpty());
      assertThat(b.intersects(a)).as(where).isEqualTo(!common.isEmpty());
      List<Object> seen = new ArrayList<>();
      assertThat(a.any(seen::add)).isEqualTo(!ma.isEmpty());
      assertThat(a.any(v -> !ma.contains(v))).as(where).isFalse();
    }
  }

  private static Object value(SplittableRandom r, int range) {
    int x = r.nextInt(range);
    return switch (r.nextInt(4)) {
      case 0 -> "v" + x;
      case 1 -> (long) x;
      case 2 -> new TxResolver.ValueKey(new byte[] {(byte) x, (byte) (x >> 8)});
      default -> new Colliding(x % 100); // few: a long cluster probes in quadratic time
    };
  }

  /** Equal by number, all with one hash: every add probes past the others. */
  private record Colliding(int x) {
    @Override
    public int hashCode() {
      return 7;
    }
  }
}
