package io.datahop.query.exec;

import java.util.List;
import java.util.Map;

/**
 * {@code not} / {@code not-join}: an anti-join. Each row seeds the sub-plan with its join
 * values; the row passes when the sub-plan yields nothing (evaluation stops at the first hit).
 */
final class Anti extends Step {
  private final Plan body;
  private final int[] outer;
  private final int[] inner;

  Anti(String clause, Plan body, int[] outer, int[] inner) {
    super(clause);
    this.body = body;
    this.outer = outer;
    this.inner = inner;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    Object[] seed = new Object[body.width()];
    for (int i = 0; i < outer.length; i++) {
      seed[inner[i]] = row[outer[i]];
    }
    return ex.exists(body, seed) || ex.next(plan, idx + 1, end, row, sink);
  }

  @Override
  String describe() {
    return "AntiJoin " + clause;
  }

  @Override
  List<Map.Entry<String, Plan>> children() {
    return List.of(Map.entry("not", body));
  }
}
