package io.datahop.query.exec;

import io.datahop.DatahopException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime state of one query execution: the deadline, per-step caches (hash-join tables,
 * collection indexes) and the rule evaluator. Plans are immutable; everything mutable lives here.
 */
final class Exec {
  /** Work between two checks of the deadline and of interruption: a few hundred µs at most. */
  private static final int CHECK_EVERY = 1024;

  private final long deadlineNanos;
  private final boolean hasDeadline;
  private final long timeoutMs;
  private int ticks;
  private final Map<Object, Object> cache = new IdentityHashMap<>();
  final RuleEngine rules;

  /**
   * @param deadlineNanos when the query must stop ({@link System#nanoTime()}), if {@code hasDeadline}
   * @param timeoutMs the query's own timeout, for the error (0: the deadline is an enclosing one's)
   */
  Exec(boolean hasDeadline, long deadlineNanos, long timeoutMs, RuleEngine rules) {
    this.hasDeadline = hasDeadline;
    this.deadlineNanos = deadlineNanos;
    this.timeoutMs = timeoutMs;
    this.rules = rules;
  }

  /**
   * Counts one unit of work (a row through a step, a datom scanned, a rule round) and, every
   * {@link #CHECK_EVERY}, checks the deadline and interruption: one increment and a branch per
   * unit, a clock read and a flag read per thousand.
   */
  void tick() {
    if ((++ticks & (CHECK_EVERY - 1)) == 0) {
      checkpoint();
    }
  }

  /** Stops the query when its thread was interrupted or its deadline passed. */
  void checkpoint() {
    if (Thread.currentThread().isInterrupted()) {
      // the interrupt stays set: it is the caller's (a cancelled remote body, a closing pool)
      throw new DatahopException.Unavailable(
          "query/cancelled", "query cancelled: its thread was interrupted", Map.of(), null);
    }
    if (hasDeadline && System.nanoTime() - deadlineNanos > 0) {
      throw new DatahopException.Unavailable(
          "query/timeout",
          timeoutMs > 0
              ? "query timed out after " + timeoutMs + " ms"
              : "query stopped at the deadline of the scope it runs in (a remote body's, or QueryDeadline.within's)",
          timeoutMs > 0 ? Map.of("timeout-ms", timeoutMs) : Map.of("deadline", "enclosing"),
          null);
    }
  }

  @SuppressWarnings("unchecked")
  <T> T cached(Object key, Supplier<T> make) {
    Object v = cache.get(key);
    if (v == null) {
      v = make.get();
      cache.put(key, v);
    }
    return (T) v;
  }

  /** Passes {@code row} to step {@code i} of {@code plan}, or to the sink past {@code end}. */
  boolean next(Plan plan, int i, int end, Object[] row, Sink sink) {
    if (i >= end) {
      return sink.accept(row);
    }
    tick();
    return plan.steps[i].run(this, row, plan, i, end, sink);
  }

  /** Runs every row through the whole plan, evaluating blocking steps once per batch. */
  boolean run(Plan plan, List<Object[]> rows, Sink sink) {
    if (!plan.blocking) {
      for (Object[] r : rows) {
        if (!next(plan, 0, plan.steps.length, r, sink)) {
          return false;
        }
      }
      return true;
    }
    int start = 0;
    List<Object[]> cur = rows;
    for (int j = 0; j < plan.steps.length; j++) {
      if (!plan.steps[j].blocking()) {
        continue;
      }
      List<Object[]> mid = new ArrayList<>();
      for (Object[] r : cur) {
        next(plan, start, j, r, mid::add);
      }
      cur = mid.isEmpty() ? mid : plan.steps[j].runBatch(this, mid);
      start = j + 1;
    }
    for (Object[] r : cur) {
      if (!next(plan, start, plan.steps.length, r, sink)) {
        return false;
      }
    }
    return true;
  }

  /** True when the plan yields at least one row from {@code row}. */
  boolean exists(Plan plan, Object[] row) {
    boolean[] found = {false};
    Sink stop =
        r -> {
          found[0] = true;
          return false;
        };
    if (plan.blocking) {
      run(plan, java.util.Collections.singletonList(row), stop);
    } else {
      next(plan, 0, plan.steps.length, row, stop);
    }
    return found[0];
  }
}
