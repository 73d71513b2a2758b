package io.datahop.query.ast;

import io.datahop.edn.Symbol;
import java.util.List;

/** A {@code :where} clause. Every clause keeps its source text form for error messages. */
public sealed interface Clause {
  /** The clause as EDN-like text, for errors and {@code explain}. */
  String text();

  /** A data pattern {@code [$src e a v tx added]}, 1 to 5 terms. */
  record Pattern(Term.Src src, List<Term> terms, String text) implements Clause {}

  /** A predicate expression {@code [(f args...)]}. */
  record Predicate(Symbol fn, List<Term> args, String text) implements Clause {}

  /** A function expression {@code [(f args...) binding]}. */
  record Function(Symbol fn, List<Term> args, Binding binding, String text) implements Clause {}

  /**
   * {@code (not ...)} ({@code joinVars} null: every variable joins) or {@code (not-join [?a]
   * ...)}.
   */
  record Not(Term.Src src, List<Term.Var> joinVars, List<Clause> body, String text)
      implements Clause {}

  /**
   * {@code (or ...)} ({@code joinVars} null) or {@code (or-join [[?req] ?a] ...)}; each branch is
   * a list of clauses (an {@code and} or a single clause).
   */
  record Or(
      Term.Src src,
      List<Term.Var> required,
      List<Term.Var> joinVars,
      List<List<Clause>> branches,
      String text)
      implements Clause {}

  /** A rule call {@code ($src name args...)}. */
  record RuleCall(Term.Src src, Symbol name, List<Term> args, String text) implements Clause {}
}
