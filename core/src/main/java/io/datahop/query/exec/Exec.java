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
  private final long deadlineNanos;
  private final long timeoutMs;
  private int ticks;
  private final Map<Object, Object> cache = new IdentityHashMap<>();
  final RuleEngine rules;

  Exec(long timeoutMs, RuleEngine rules) {
    this.timeoutMs = timeoutMs;
    this.deadlineNanos = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
    this.rules = rules;
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

  /** Counts work and enforces the deadline every few thousand rows. */
  void tick() {
    if (deadlineNanos != 0 && (++ticks & 0x3FF) == 0 && System.nanoTime() > deadlineNanos) {
      throw new DatahopException.Unavailable(
          "query/timeout",
          "query timed out after " + timeoutMs + " ms",
          Map.of("timeout-ms", timeoutMs),
          null);
    }
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
