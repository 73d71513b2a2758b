package io.datahop.query.exec;

import java.util.List;

/**
 * An ordered list of operators over rows of one {@link Scope}. Streaming operators pass each row
 * on as soon as it is produced (nested loops over index seeks); a blocking operator (a rule call)
 * sees every row that reached it first, so it can evaluate the rule once for all of them.
 */
final class Plan {
  final Scope scope;
  final Step[] steps;
  final double estimate;
  final boolean blocking;

  Plan(Scope scope, List<Step> steps, double estimate) {
    this.scope = scope;
    this.steps = steps.toArray(new Step[0]);
    this.estimate = estimate;
    boolean b = false;
    for (Step s : this.steps) {
      b |= s.blocking();
    }
    this.blocking = b;
  }

  int width() {
    return scope.width();
  }

  void explain(StringBuilder sb, int indent) {
    for (Step s : steps) {
      sb.append("  ".repeat(indent)).append(s.describe()).append('\n');
      for (var child : s.children()) {
        sb.append("  ".repeat(indent + 1)).append(child.getKey()).append(":\n");
        child.getValue().explain(sb, indent + 2);
      }
    }
  }
}
