package io.datahop.query.ast;

import io.datahop.edn.Symbol;
import java.util.List;

/**
 * One definition (branch) of a rule: {@code [(name [?required] ?free) clause...]}. Several
 * definitions with the same name form a union.
 */
public record Rule(Symbol name, List<Term.Var> required, List<Term.Var> free, List<Clause> body) {
  /** Every head variable: required ones first, as in the call's argument order. */
  public List<Term.Var> head() {
    if (required.isEmpty()) {
      return free;
    }
    var all = new java.util.ArrayList<Term.Var>(required);
    all.addAll(free);
    return all;
  }
}
