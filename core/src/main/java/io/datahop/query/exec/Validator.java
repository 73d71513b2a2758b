package io.datahop.query.exec;

import io.datahop.edn.Symbol;
import io.datahop.query.QueryErrors;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.FindElem;
import io.datahop.query.ast.Query;
import io.datahop.query.ast.Rule;
import io.datahop.query.ast.Term;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what does not depend on clause order before planning: every function, aggregate and
 * rule exists and is called with a fitting arity (in the query and in every rule body), and every
 * {@code :find}/{@code :with} variable is bound somewhere.
 */
final class Validator {
  private Validator() {}

  static void validate(Query q, Set<Symbol> inVars, Map<Symbol, List<Rule>> rules) {
    for (Clause c : q.where()) {
      check(c, rules);
    }
    for (List<Rule> defs : rules.values()) {
      for (Rule r : defs) {
        for (Clause c : r.body()) {
          check(c, rules);
        }
      }
    }
    Set<Symbol> bindable = new HashSet<>(inVars);
    for (Clause c : q.where()) {
      bindable(c, bindable);
    }
    for (FindElem e : q.find().elements()) {
      Term.Var v =
          switch (e) {
            case FindElem.Var x -> x.var();
            case FindElem.Aggregate a -> {
              if (Aggregates.lookup(a.fn()) == null) {
                throw QueryErrors.incorrect(
                    "query/unknown-function", "unknown aggregate " + a.fn(), a.toString());
              }
              yield a.var();
            }
            case FindElem.Pull p -> p.var();
          };
      if (!bindable.contains(v.sym())) {
        throw QueryErrors.incorrect(
            "query/find-unbound",
            "find variable " + v + " is not bound by :in or :where",
            e.toString());
      }
    }
    for (Term.Var v : q.with()) {
      if (!bindable.contains(v.sym())) {
        throw QueryErrors.incorrect(
            "query/find-unbound", ":with variable " + v + " is not bound by :in or :where", null);
      }
    }
  }

  private static void bindable(Clause c, Set<Symbol> out) {
    switch (c) {
      case Clause.Pattern p -> Vars.terms(p.terms(), out);
      case Clause.Function f -> Vars.binding(f.binding(), out);
      case Clause.RuleCall r -> Vars.terms(r.args(), out);
      case Clause.Or o -> out.addAll(Vars.of(o));
      default -> {}
    }
  }

  /**
   * A plain {@code or} joins on the variables of its branches, so every branch must use the same
   * set (Datomic rejects the query otherwise); {@code or-join} names its join variables instead.
   */
  private static void sameVars(Clause.Or o) {
    if (o.joinVars() != null || o.branches().isEmpty()) {
      return;
    }
    Set<Symbol> first = Vars.of(o.branches().get(0));
    for (List<Clause> br : o.branches()) {
      Set<Symbol> vars = Vars.of(br);
      if (!vars.equals(first)) {
        throw QueryErrors.incorrect(
            "query/or-vars",
            "all branches of or must use the same variables, had "
                + first.toString().replace(",", "") + " and " + vars.toString().replace(",", "")
                + " (use or-join to name the join variables)",
            o.text());
      }
    }
  }

  private static void check(Clause c, Map<Symbol, List<Rule>> rules) {
    switch (c) {
      case Clause.Predicate p -> Planner.fn(p.fn(), p.args().size(), p.text());
      case Clause.Function f -> Planner.fn(f.fn(), f.args().size(), f.text());
      case Clause.RuleCall r -> {
        List<Rule> defs = rules.get(r.name());
        if (defs == null) {
          throw QueryErrors.incorrect(
              "query/unknown-rule",
              "unknown rule " + r.name() + (rules.isEmpty() ? " (no rules were passed as %)" : ""),
              r.text());
        }
        int arity = defs.get(0).head().size();
        if (arity != r.args().size()) {
          throw QueryErrors.incorrect(
              "query/wrong-arity",
              "rule " + r.name() + " takes " + arity + " arguments, got " + r.args().size(),
              r.text());
        }
      }
      case Clause.Not n -> n.body().forEach(b -> check(b, rules));
      case Clause.Or o -> {
        o.branches().forEach(br -> br.forEach(b -> check(b, rules)));
        sameVars(o);
      }
      default -> {}
    }
  }
}
