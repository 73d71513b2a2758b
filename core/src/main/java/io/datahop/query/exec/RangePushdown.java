package io.datahop.query.exec;

import io.datahop.db.Attribute;
import io.datahop.edn.Symbol;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.Term;
import java.util.List;
import java.util.Map;

/**
 * Finds comparisons of a pattern's value variable with constants (or scalar inputs) that an
 * AVET range read can apply, so {@code [?e :salary ?s] [(> ?s 50000)]} reads only the matching
 * slice of the index. Only types whose index order equals query order are pushed down.
 */
final class RangePushdown {
  private RangePushdown() {}

  /**
   * A comparison of the pattern's value variable with a constant, pushed into an AVET range
   * read: {@code [?e :salary ?s] [(> ?s 50000)]} reads only salaries above 50000.
   */
  static Object[] range(
      Clause.Pattern p,
      Attribute attr,
      List<Clause> remaining,
      Map<Symbol, Object> known,
      List<Clause> consumed) {
    if (!(p.terms().get(2) instanceof Term.Var v)) {
      return null;
    }
    Object lo = null;
    Object hi = null;
    boolean loInc = false;
    boolean hiInc = false;
    for (Clause c : remaining) {
      if (!(c instanceof Clause.Predicate pr)
          || pr.args().size() != 2
          || pr.fn().namespace() != null) {
        continue;
      }
      String op = pr.fn().name();
      Term a = pr.args().get(0);
      Term b = pr.args().get(1);
      Object k;
      boolean varFirst;
      if (a.equals(v) && constOf(b, known) != null) {
        k = constOf(b, known);
        varFirst = true;
      } else if (b.equals(v) && constOf(a, known) != null) {
        k = constOf(a, known);
        varFirst = false;
      } else {
        continue;
      }
      if (!rangeType(attr, k)) {
        continue;
      }
      // normalise to "?v OP k"
      String o = varFirst ? op : flip(op);
      if (o == null) {
        continue;
      }
      // the scan checks the bounds exactly, so the predicate itself need not run again
      switch (o) {
        case ">", ">=" -> {
          consumed.add(c);
          if (lo == null || Values.compare(k, lo) > 0 || (Values.compare(k, lo) == 0 && o.equals(">"))) {
            lo = k;
            loInc = o.equals(">=");
          }
        }
        case "<", "<=" -> {
          consumed.add(c);
          if (hi == null || Values.compare(k, hi) < 0 || (Values.compare(k, hi) == 0 && o.equals("<"))) {
            hi = k;
            hiInc = o.equals("<=");
          }
        }
        default -> {}
      }
    }
    if (lo == null && hi == null) {
      return null;
    }
    return new Object[] {lo, loInc, hi, hiInc};
  }

  private static String flip(String op) {
    return switch (op) {
      case ">" -> "<";
      case "<" -> ">";
      case ">=" -> "<=";
      case "<=" -> ">=";
      default -> null;
    };
  }

  private static Object constOf(Term t, Map<Symbol, Object> known) {
    if (t instanceof Term.Const c) {
      return c.value();
    }
    if (t instanceof Term.Var v) {
      return known.get(v.sym());
    }
    return null;
  }

  private static boolean rangeType(Attribute attr, Object k) {
    if (attr.valueType() == null) {
      return false;
    }
    String t = attr.valueType().name();
    return switch (t) {
      case "long" -> k instanceof Long;
      case "double" -> k instanceof Double;
      case "string" -> k instanceof String;
      default -> false;
    };
  }
}
