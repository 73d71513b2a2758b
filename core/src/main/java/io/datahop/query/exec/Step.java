package io.datahop.query.exec;

import java.util.List;
import java.util.Map;

/**
 * One operator of a {@link Plan}. A streaming step handles one row at a time and hands each
 * output row to {@link Exec#next}; a blocking step gets all its input rows at once through
 * {@link #runBatch}. {@link #children} exposes sub-plans (of not, or, rules) for {@code explain}.
 */
abstract class Step {
  final String clause;

  Step(String clause) {
    this.clause = clause;
  }

  boolean blocking() {
    return false;
  }

  /** Streams {@code row} through this step into {@code plan.steps[idx + 1 ..end)}. */
  abstract boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink);

  /** A blocking step's work over all rows that reached it. */
  List<Object[]> runBatch(Exec ex, List<Object[]> rows) {
    throw new IllegalStateException("not a blocking step");
  }

  abstract String describe();

  List<Map.Entry<String, Plan>> children() {
    return List.of();
  }
}
