package io.datahop.query.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule call. Blocking: it collects the distinct bound-argument tuples of all rows that reach
 * it (the "magic" seeds), has the {@link RuleEngine} evaluate the rule for exactly those seeds,
 * then joins the answers back onto the rows.
 */
final class RuleCallStep extends Step {
  final RuleKey key;
  private final Pos[] args;

  RuleCallStep(String clause, RuleKey key, Pos[] args) {
    super(clause);
    this.key = key;
    this.args = args;
  }

  @Override
  boolean blocking() {
    return true;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    for (Object[] r : runBatch(ex, java.util.Collections.singletonList(row))) {
      if (!ex.next(plan, idx + 1, end, r, sink)) {
        return false;
      }
    }
    return true;
  }

  private List<Object> seedOf(Object[] row) {
    List<Object> k = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if ((key.mask() & (1 << i)) != 0) {
        Pos p = args[i];
        k.add(p.kind() == Pos.CONST ? p.value() : row[p.slot()]);
      }
    }
    return k;
  }

  @Override
  List<Object[]> runBatch(Exec ex, List<Object[]> rows) {
    Set<List<Object>> seeds = new LinkedHashSet<>();
    for (Object[] r : rows) {
      ex.tick();
      seeds.add(seedOf(r));
    }
    Map<List<Object>, List<List<Object>>> answers = ex.rules.call(ex, this, seeds);
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      List<List<Object>> hits = answers.get(seedOf(r));
      if (hits == null) {
        continue;
      }
      outer:
      for (List<Object> a : hits) {
        ex.tick();
        Object[] o = r.clone();
        for (int i = 0; i < args.length; i++) {
          Pos p = args[i];
          if (p.kind() == Pos.FREE) {
            o[p.slot()] = a.get(i);
          } else if (p.kind() == Pos.CHECK && !Values.eq(o[p.slot()], a.get(i))) {
            continue outer;
          }
        }
        out.add(o);
      }
    }
    return out;
  }

  @Override
  String describe() {
    return "RuleCall " + clause + " bound " + Arrays.toString(maskPositions());
  }

  private int[] maskPositions() {
    return java.util.stream.IntStream.range(0, args.length)
        .filter(i -> (key.mask() & (1 << i)) != 0)
        .toArray();
  }
}
