package io.datahop.query.exec;

/**
 * How a step obtains one argument: a constant (including a resolved data source) or the value
 * of a bound slot of the row.
 */
record Arg(int slot, Object value) {
  static Arg constant(Object v) {
    return new Arg(-1, v);
  }

  static Arg slot(int s) {
    return new Arg(s, null);
  }

  Object get(Object[] row) {
    return slot < 0 ? value : row[slot];
  }

  static Object[] eval(Arg[] args, Object[] row) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].get(row);
    }
    return out;
  }
}
