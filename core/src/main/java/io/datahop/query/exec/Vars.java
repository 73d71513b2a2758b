package io.datahop.query.exec;

import io.datahop.edn.Symbol;
import io.datahop.query.ast.Binding;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.Term;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The variables a clause shares with its surroundings. */
final class Vars {
  private Vars() {}

  static Set<Symbol> of(Clause c) {
    Set<Symbol> out = new LinkedHashSet<>();
    add(c, out);
    return out;
  }

  static Set<Symbol> of(List<Clause> cs) {
    Set<Symbol> out = new LinkedHashSet<>();
    for (Clause c : cs) {
      add(c, out);
    }
    return out;
  }

  static void terms(List<Term> ts, Set<Symbol> out) {
    for (Term t : ts) {
      if (t instanceof Term.Var v) {
        out.add(v.sym());
      }
    }
  }

  static void binding(Binding b, Set<Symbol> out) {
    switch (b) {
      case Binding.Scalar s -> out.add(s.var().sym());
      case Binding.Tuple t -> t.items().forEach(i -> binding(i, out));
      case Binding.Coll c -> binding(c.item(), out);
      case Binding.Rel r -> binding(r.tuple(), out);
      default -> {}
    }
  }

  private static void add(Clause c, Set<Symbol> out) {
    switch (c) {
      case Clause.Pattern p -> terms(p.terms(), out);
      case Clause.Predicate p -> terms(p.args(), out);
      case Clause.Function f -> {
        terms(f.args(), out);
        binding(f.binding(), out);
      }
      case Clause.RuleCall r -> terms(r.args(), out);
      case Clause.Not n -> {
        if (n.joinVars() != null) {
          n.joinVars().forEach(v -> out.add(v.sym()));
        } else {
          n.body().forEach(b -> add(b, out));
        }
      }
      case Clause.Or o -> {
        if (o.joinVars() != null) {
          o.joinVars().forEach(v -> out.add(v.sym()));
        } else {
          o.branches().forEach(br -> br.forEach(b -> add(b, out)));
        }
      }
    }
  }
}
