package io.datahop.query.exec;

import java.util.ArrayList;
import java.util.List;

/** A function expression: calls the function and destructures its result into the row. */
final class Bind extends Step {
  private final Fn fn;
  private final Arg[] args;
  private final Binder binder;

  Bind(String clause, Fn fn, Arg[] args, Binder binder) {
    super(clause);
    this.fn = fn;
    this.args = args;
    this.binder = binder;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    Object r = Call.invoke(fn, Arg.eval(args, row), clause);
    if (r == null) {
      return true;
    }
    List<Object[]> out = new ArrayList<>(1);
    try {
      binder.bind(r, row, out);
    } catch (IllegalArgumentException e) {
      throw io.datahop.query.QueryErrors.incorrect("query/bad-binding", e.getMessage(), clause);
    }
    for (Object[] o : out) {
      if (!ex.next(plan, idx + 1, end, o, sink)) {
        return false;
      }
    }
    return true;
  }

  @Override
  String describe() {
    return "Bind " + clause;
  }
}
