package io.datahop.query.ast;

import io.datahop.edn.Symbol;
import java.util.List;

/** One element of a {@code :find} spec: a variable, an aggregate call or a pull expression. */
public sealed interface FindElem {
  /** A plain variable. */
  record Var(Term.Var var) implements FindElem {
    @Override
    public String toString() {
      return var.toString();
    }
  }

  /**
   * An aggregate such as {@code (count ?x)} or {@code (max 3 ?x)}: {@code args} are the constant
   * arguments before the aggregated variable.
   */
  record Aggregate(Symbol fn, List<Object> args, Term.Var var) implements FindElem {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("(").append(fn.text());
      for (Object a : args) {
        sb.append(' ').append(io.datahop.edn.Edn.write(a));
      }
      return sb.append(' ').append(var).append(')').toString();
    }
  }

  /** {@code (pull $src ?e pattern)}; the pattern is a constant or a variable bound in {@code :in}. */
  record Pull(Term.Src src, Term.Var var, Term pattern) implements FindElem {
    @Override
    public String toString() {
      return "(pull " + src + " " + var + " " + pattern + ")";
    }
  }
}
