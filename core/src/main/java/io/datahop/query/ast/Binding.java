package io.datahop.query.ast;

import java.util.List;

/**
 * A binding form, in {@code :in} and on the right of a function expression: {@code ?x}, {@code
 * _}, a tuple {@code [?a ?b]}, a collection {@code [?a ...]} or a relation {@code [[?a ?b]]}.
 */
public sealed interface Binding {
  /** Binds one value to a variable. */
  record Scalar(Term.Var var) implements Binding {
    @Override
    public String toString() {
      return var.toString();
    }
  }

  /** Accepts any value, binds nothing. */
  record Blank() implements Binding {
    @Override
    public String toString() {
      return "_";
    }
  }

  /** Destructures a sequence positionally. */
  record Tuple(List<Binding> items) implements Binding {
    @Override
    public String toString() {
      return items.toString().replace(",", "");
    }
  }

  /** Binds each element of a collection in turn. */
  record Coll(Binding item) implements Binding {
    @Override
    public String toString() {
      return "[" + item + " ...]";
    }
  }

  /** A collection of tuples: {@code [[?a ?b]]}. */
  record Rel(Tuple tuple) implements Binding {
    @Override
    public String toString() {
      return "[" + tuple + "]";
    }
  }

  /** Binds a data source ({@code $}, {@code $2}) in {@code :in}. */
  record Source(Term.Src src) implements Binding {
    @Override
    public String toString() {
      return src.toString();
    }
  }

  /** The rules input {@code %}. */
  record Rules() implements Binding {
    @Override
    public String toString() {
      return "%";
    }
  }
}
