package io.datahop.query.exec;


/** A predicate expression: passes the rows for which the function returns a truthy value. */
final class Filter extends Step {
  private final Fn fn;
  private final Arg[] args;

  Filter(String clause, Fn fn, Arg[] args) {
    super(clause);
    this.fn = fn;
    this.args = args;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    Object r = Call.invoke(fn, Arg.eval(args, row), clause);
    return !Values.truthy(r) || ex.next(plan, idx + 1, end, row, sink);
  }

  @Override
  String describe() {
    return "Filter " + clause;
  }
}
