package io.datahop.query.ast;

import io.datahop.edn.Symbol;

/** One position of a clause: a variable, a constant, the blank {@code _} or a source {@code $x}. */
public sealed interface Term {
  /** A logic variable such as {@code ?e}. */
  record Var(Symbol sym) implements Term {
    @Override
    public String toString() {
      return sym.text();
    }
  }

  /** A literal value; numbers are normalised (ints to Long, floats kept). */
  record Const(Object value) implements Term {
    @Override
    public String toString() {
      return io.datahop.edn.Edn.write(value);
    }
  }

  /** The placeholder {@code _}: matches anything, binds nothing. */
  record Blank() implements Term {
    @Override
    public String toString() {
      return "_";
    }
  }

  /** A data source variable such as {@code $} or {@code $hist}. */
  record Src(Symbol sym) implements Term {
    /** The default source {@code $}. */
    public static final Src DEFAULT = new Src(new Symbol(null, "$"));

    @Override
    public String toString() {
      return sym.text();
    }
  }
}
