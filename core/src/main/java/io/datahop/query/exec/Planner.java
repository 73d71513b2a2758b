package io.datahop.query.exec;

import io.datahop.db.Attribute;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Symbol;
import io.datahop.query.ast.Binding;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.Rule;
import io.datahop.query.ast.Term;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders the clauses of a body by estimated cost and compiles each into an operator.
 *
 * <p>Greedy: predicates, function expressions and negations run as soon as their inputs are
 * bound (filters early); otherwise the data pattern, {@code or} or rule call with the smallest
 * estimated output runs next. Pattern estimates come from {@link Db#count}, which is O(log n):
 * the exact size of the constant-only index range, and per-row fan-outs from the schema
 * (cardinality, uniqueness) once a variable is bound. A pattern with a bound variable becomes an
 * index seek per row, or a hash join over its constant-only range when that range is small
 * against the number of incoming rows or no index covers the bound position.
 */
final class Planner {
  private static final Symbol DEFAULT_SRC = Term.Src.DEFAULT.sym();

  final Map<Symbol, Object> sources;
  final Map<Symbol, List<Rule>> rules;
  private final Map<Symbol, Object> knownValues;
  private final Map<RuleKey, RulePlans> rulePlans = new HashMap<>();
  /** The query's own scope: only there do scalar inputs have values known while planning. */
  private Scope top;

  /** The compiled definitions of one rule for one binding pattern. */
  record RulePlans(List<Plan> plans, List<int[]> heads) {}

  private static final RulePlans IN_PROGRESS = new RulePlans(List.of(), List.of());

  Planner(Map<Symbol, Object> sources, Map<Symbol, List<Rule>> rules, Map<Symbol, Object> known) {
    this.sources = sources;
    this.rules = rules;
    this.knownValues = known;
  }

  /** Plans {@code clauses} with {@code seeds} bound; {@code context} are variables used outside. */
  Plan plan(
      List<Clause> clauses,
      Collection<Symbol> seeds,
      Set<Symbol> context,
      Symbol dflt,
      double estIn,
      Set<Symbol> boundOut) {
    Scope scope = new Scope();
    if (top == null) {
      top = scope;
    }
    Set<Symbol> bound = new HashSet<>();
    for (Symbol s : seeds) {
      scope.slot(s);
      bound.add(s);
    }
    List<Clause> remaining = new ArrayList<>(clauses);
    List<Step> steps = new ArrayList<>();
    double est = Math.max(1, estIn);
    while (!remaining.isEmpty()) {
      boolean progressed = false;
      for (int i = 0; i < remaining.size(); i++) {
        Clause c = remaining.get(i);
        Step s = eager(c, remaining, bound, context, scope, dflt, est);
        if (s != null) {
          steps.add(s);
          remaining.remove(i);
          i--;
          progressed = true;
          est = Math.max(1, est * (c instanceof Clause.Function ? 1 : 0.5));
        }
      }
      if (progressed) {
        continue;
      }
      Candidate best = null;
      PlanError firstError = null;
      for (Clause c : remaining) {
        try {
          Candidate cand = candidate(c, remaining, bound, context, scope, dflt, est);
          if (cand != null && (best == null || cand.est < best.est)) {
            best = cand;
          }
        } catch (PlanError e) {
          if (firstError == null) {
            firstError = e;
          }
        }
      }
      if (best == null) {
        if (firstError != null) {
          throw firstError;
        }
        throw stuck(remaining.get(0), bound, remaining, context);
      }
      steps.add(best.step);
      bound.addAll(best.binds);
      est = Math.max(best.est, 1e-3);
      remaining.remove(best.clause);
      remaining.removeAll(best.consumed);
    }
    if (boundOut != null) {
      boundOut.addAll(bound);
    }
    return new Plan(scope, steps, est);
  }

  private record Candidate(
      Clause clause, Step step, double est, Set<Symbol> binds, List<Clause> consumed) {
    Candidate(Clause clause, Step step, double est, Set<Symbol> binds) {
      this(clause, step, est, binds, List.of());
    }
  }

  private static boolean allBound(List<Term> args, Set<Symbol> bound) {
    for (Term t : args) {
      if (t instanceof Term.Var v && !bound.contains(v.sym())) {
        return false;
      }
    }
    return true;
  }

  private PlanError stuck(
      Clause c, Set<Symbol> bound, List<Clause> remaining, Set<Symbol> context) {
    Set<Symbol> missing = new LinkedHashSet<>();
    switch (c) {
      case Clause.Predicate p -> unbound(p.args(), bound, missing);
      case Clause.Function f -> unbound(f.args(), bound, missing);
      case Clause.Not n -> {
        for (Symbol v : notJoinVars(n, remaining, context, bound)) {
          if (!bound.contains(v)) {
            missing.add(v);
          }
        }
      }
      default -> {
        return new PlanError(
            "query/insufficient-binding",
            "insufficient binding: the clause cannot run with only "
                + (bound.isEmpty() ? "no variables" : bound.toString())
                + " bound",
            c.text());
      }
    }
    return new PlanError(
        "query/unbound-variable", "unbound variable(s) " + missing.toString().replace(",", ""), c.text());
  }

  private static void unbound(List<Term> ts, Set<Symbol> bound, Set<Symbol> out) {
    for (Term t : ts) {
      if (t instanceof Term.Var v && !bound.contains(v.sym())) {
        out.add(v.sym());
      }
    }
  }

  private Arg[] args(List<Term> ts, Scope scope, String clause) {
    Arg[] out = new Arg[ts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (ts.get(i)) {
            case Term.Var v -> Arg.slot(scope.slot(v.sym()));
            case Term.Const c -> Arg.constant(c.value());
            case Term.Src s -> Arg.constant(source(s.sym(), clause));
            case Term.Blank b -> Arg.constant(null);
          };
    }
    return out;
  }

  Object source(Symbol s, String clause) {
    Object src = sources.get(s);
    if (src == null) {
      throw new PlanError(
          "query/unknown-source",
          "unknown data source " + s + " (bound sources: " + sources.keySet() + ")",
          clause);
    }
    return src;
  }

  static Fn fn(Symbol name, int arity, String clause) {
    Fn f = Fns.lookup(name);
    if (f == null) {
      throw new PlanError("query/unknown-function", "unknown function " + name, clause);
    }
    if (!f.accepts(arity)) {
      throw new PlanError(
          "query/wrong-arity",
          "wrong number of arguments (" + arity + ") passed to " + name,
          clause);
    }
    return f;
  }

  private Step eager(
      Clause c,
      List<Clause> remaining,
      Set<Symbol> bound,
      Set<Symbol> context,
      Scope scope,
      Symbol dflt,
      double est) {
    switch (c) {
      case Clause.Predicate p -> {
        Fn f = fn(p.fn(), p.args().size(), p.text());
        if (!allBound(p.args(), bound)) {
          return null;
        }
        return new Filter(p.text(), f, args(substSrc(p.args(), dflt), scope, p.text()));
      }
      case Clause.Function fx -> {
        Fn f = fn(fx.fn(), fx.args().size(), fx.text());
        if (!allBound(fx.args(), bound)) {
          return null;
        }
        Binder b = binder(fx.binding(), scope, bound);
        Vars.binding(fx.binding(), bound);
        return new Bind(fx.text(), f, args(substSrc(fx.args(), dflt), scope, fx.text()), b);
      }
      case Clause.Not n -> {
        Set<Symbol> join = notJoinVars(n, remaining, context, bound);
        if (join.isEmpty() && !Vars.of(n.body()).isEmpty()) {
          throw new PlanError(
              "query/insufficient-binding",
              "insufficient binding: none of the variables of not is bound outside it "
                  + Vars.of(n.body()).toString().replace(",", ""),
              n.text());
        }
        if (!bound.containsAll(join)) {
          return null;
        }
        Symbol src = n.src().equals(Term.Src.DEFAULT) ? dflt : n.src().sym();
        Plan body = plan(n.body(), join, join, src, 1, null);
        int[] outer = new int[join.size()];
        int[] inner = new int[join.size()];
        int i = 0;
        for (Symbol v : join) {
          outer[i] = scope.slot(v);
          inner[i] = body.scope.find(v);
          i++;
        }
        return new Anti(n.text(), body, outer, inner);
      }
      default -> {
        return null;
      }
    }
  }

  /** In a rule body called with a source prefix, {@code $} in function args means that source. */
  private static List<Term> substSrc(List<Term> args, Symbol dflt) {
    if (dflt.equals(DEFAULT_SRC)) {
      return args;
    }
    List<Term> out = new ArrayList<>(args.size());
    for (Term t : args) {
      out.add(t instanceof Term.Src s && s.equals(Term.Src.DEFAULT) ? new Term.Src(dflt) : t);
    }
    return out;
  }

  private static Set<Symbol> notJoinVars(
      Clause.Not n, List<Clause> remaining, Set<Symbol> context, Set<Symbol> bound) {
    if (n.joinVars() != null) {
      Set<Symbol> out = new LinkedHashSet<>();
      n.joinVars().forEach(v -> out.add(v.sym()));
      return out;
    }
    Set<Symbol> outside = outside(n, remaining, context, bound);
    Set<Symbol> out = new LinkedHashSet<>();
    Set<Symbol> local = new LinkedHashSet<>();
    for (Symbol v : Vars.of(n)) {
      (outside.contains(v) ? out : local).add(v);
    }
    // as Datomic: a plain not joins on all its variables, so each must be bound outside it
    // (not-join names the join variables and may keep others local)
    if (!out.isEmpty() && !local.isEmpty()) {
      throw new PlanError(
          "query/insufficient-binding",
          "insufficient binding: " + local.toString().replace(",", "")
              + " not bound outside the not clause (use not-join to keep them local)",
          n.text());
    }
    return out;
  }

  private static Set<Symbol> outside(
      Clause self, List<Clause> remaining, Set<Symbol> context, Set<Symbol> bound) {
    Set<Symbol> outside = new HashSet<>(context);
    outside.addAll(bound);
    for (Clause o : remaining) {
      // a variable that only another plain not mentions is local to that not
      if (o != self && !(o instanceof Clause.Not n && n.joinVars() == null)) {
        outside.addAll(Vars.of(o));
      }
    }
    return outside;
  }

  private Binder binder(Binding b, Scope scope, Set<Symbol> bound) {
    return switch (b) {
      case Binding.Scalar s ->
          new Binder.Scalar(scope.slot(s.var().sym()), bound.contains(s.var().sym()));
      case Binding.Blank x -> new Binder.Blank();
      case Binding.Tuple t -> {
        Binder[] items = new Binder[t.items().size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = binder(t.items().get(i), scope, bound);
        }
        yield new Binder.Tuple(items);
      }
      case Binding.Coll c -> new Binder.Coll(binder(c.item(), scope, bound));
      case Binding.Rel r -> new Binder.Coll(binder(r.tuple(), scope, bound));
      default -> throw new IllegalStateException("not a value binding: " + b);
    };
  }

  private Candidate candidate(
      Clause c,
      List<Clause> remaining,
      Set<Symbol> bound,
      Set<Symbol> context,
      Scope scope,
      Symbol dflt,
      double est) {
    return switch (c) {
      case Clause.Pattern p -> pattern(p, remaining, bound, scope, dflt, est);
      case Clause.Or o -> or(o, remaining, bound, context, scope, dflt, est);
      case Clause.RuleCall r -> ruleCall(r, bound, scope, dflt, est);
      default -> null;
    };
  }

  // ---------------------------------------------------------------- patterns

  private Candidate pattern(
      Clause.Pattern p,
      List<Clause> remaining,
      Set<Symbol> bound,
      Scope scope,
      Symbol dflt,
      double est) {
    Symbol srcSym = p.src().equals(Term.Src.DEFAULT) ? dflt : p.src().sym();
    Object src = source(srcSym, p.text());
    if (src instanceof io.datahop.db.Log) {
      throw new PlanError("query/log-source",
          "the log bound to " + srcSym + " has no datoms to match: read it with (tx-ids " + srcSym
              + " t1 t2) and (tx-data " + srcSym + " tx)", p.text());
    }
    int n = p.terms().size();
    Pos[] pos = new Pos[src instanceof Db ? 5 : n];
    Set<Symbol> binds = new LinkedHashSet<>();
    for (int i = 0; i < pos.length; i++) {
      if (i >= n) {
        pos[i] = new Pos(Pos.ABSENT, -1, null);
        continue;
      }
      pos[i] =
          switch (p.terms().get(i)) {
            case Term.Var v -> {
              Symbol s = v.sym();
              if (bound.contains(s)) {
                yield new Pos(Pos.BOUND, scope.slot(s), null);
              }
              if (binds.contains(s)) {
                yield new Pos(Pos.CHECK, scope.slot(s), null);
              }
              binds.add(s);
              yield new Pos(Pos.FREE, scope.slot(s), null);
            }
            case Term.Const k -> new Pos(Pos.CONST, -1, k.value());
            default -> new Pos(Pos.BLANK, -1, null);
          };
    }
    if (src instanceof Db db) {
      return dbPattern(p, db, pos, remaining, binds, est, scope);
    }
    if (src instanceof Collection<?> coll) {
      int known = 0;
      for (Pos q : pos) {
        known += q.known() ? 1 : 0;
      }
      double size = Math.max(1, coll.size());
      double fan = known == 0 ? size : Math.max(0.5, size / Math.pow(10, known));
      return new Candidate(p, new CollScan(p.text(), coll, pos), est * fan, binds);
    }
    throw new PlanError(
        "query/bad-source",
        "source " + srcSym + " is neither a database nor a collection of tuples",
        p.text());
  }

  /** Index and components for a seek given which positions are known (bits e=1 a=2 v=4). */
  private record Access(IndexType index, int[] comps) {}

  private static Access access(boolean kE, boolean kA, boolean kV, Attribute attr) {
    if (kE) {
      if (kA) {
        return new Access(IndexType.EAVT, kV ? new int[] {0, 1, 2} : new int[] {0, 1});
      }
      return new Access(IndexType.EAVT, new int[] {0});
    }
    if (kA && kV) {
      if (attr == null || attr.indexed() || attr.unique() != null) {
        return new Access(IndexType.AVET, new int[] {1, 2});
      }
      if (attr.isRef()) {
        return new Access(IndexType.VAET, new int[] {2, 1});
      }
      return new Access(IndexType.AEVT, new int[] {1});
    }
    if (kA) {
      return new Access(IndexType.AEVT, new int[] {1});
    }
    if (kV) {
      // only the value known: the datoms holding it under any attribute, as Datomic finds them
      // ([?e ?a "Ann"] finds the names, [?e ?a ?ref-id] the references), one AVET seek per
      // attribute (DbScan.isByValue)
      return new Access(IndexType.AVET, new int[] {2});
    }
    return new Access(IndexType.EAVT, new int[0]);
  }

  private Candidate dbPattern(
      Clause.Pattern p,
      Db db,
      Pos[] pos,
      List<Clause> remaining,
      Set<Symbol> binds,
      double est,
      Scope scope) {
    // resolve constants: attribute idents to ids, entity idents and lookup refs to ids
    Attribute attr = null;
    boolean empty = false;
    if (pos[1].kind() == Pos.CONST) {
      attr = db.attribute(pos[1].value());
      if (attr == null) {
        throw new PlanError(
            "query/unknown-attribute",
            "unable to resolve attribute " + Values.str(pos[1].value()),
            p.text());
      }
      pos[1] = new Pos(Pos.CONST, -1, attr.id());
    } else if (pos[1].kind() == Pos.BOUND) {
      Object k = knownValue(scope, pos[1]);
      if (k != null) {
        attr = db.attribute(k);
      }
    }
    if (pos[0].kind() == Pos.CONST) {
      Object v = pos[0].value();
      Long e = v instanceof Long l ? l : DbScan.entid(db, v);
      empty |= e == null;
      pos[0] = new Pos(Pos.CONST, -1, e);
    }
    if (pos[3].kind() == Pos.CONST) {
      Object v = pos[3].value();
      Long t = v instanceof Long l ? l : DbScan.entid(db, v);
      empty |= t == null;
      pos[3] = new Pos(Pos.CONST, -1, t);
    }
    boolean refV = attr != null && attr.isRef();
    if (refV && pos[2].kind() == Pos.CONST && !(pos[2].value() instanceof Long)) {
      Long e = DbScan.entid(db, pos[2].value());
      empty |= e == null;
      pos[2] = new Pos(Pos.CONST, -1, e);
    }
    if (empty) {
      return new Candidate(p, new Empty(p.text()), 0, binds);
    }
    boolean kE = pos[0].known();
    boolean kA = pos[1].known();
    boolean kV = pos[2].known();
    if (!kE && !kA && !kV) {
      // Datomic refuses a full scan of the database
      throw new PlanError(
          "query/insufficient-binding",
          "insufficient binding: the pattern would scan the whole database",
          p.text());
    }
    boolean cE = pos[0].kind() == Pos.CONST;
    boolean cA = pos[1].kind() == Pos.CONST;
    boolean cV = pos[2].kind() == Pos.CONST;
    Access constAccess = access(cE, cA, cV, attr);
    Object[] constComps = new Object[constAccess.comps().length];
    for (int i = 0; i < constComps.length; i++) {
      constComps[i] = pos[constAccess.comps()[i]].value();
    }
    Object[] range = null;
    List<Clause> consumed = new ArrayList<>();
    if (cA && !kE && !kV && pos[2].kind() == Pos.FREE && attr != null && (attr.indexed() || attr.unique() != null)) {
      range = RangePushdown.range(p, attr, remaining, scope == top ? knownValues : Map.of(), consumed);
    }
    if (range != null) {
      constAccess = new Access(IndexType.AVET, new int[] {1});
      constComps = new Object[] {pos[1].value()};
    }
    double constCount;
    if (constAccess.comps().length == 0) {
      constCount = db.count(IndexType.EAVT);
    } else if (DbScan.isByValue(constAccess.index(), constAccess.comps())) {
      constCount = DbScan.countByValue(db, constComps[0]);
    } else {
      constCount = db.count(constAccess.index(), constComps);
    }
    if (range != null) {
      constCount = Math.max(1, constCount / 2);
    }
    List<Integer> boundPos = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      if (pos[i].kind() == Pos.BOUND) {
        boundPos.add(i);
      }
    }
    if (boundPos.isEmpty()) {
      DbScan s =
          new DbScan(
              p.text(), db, pos, refV, constAccess.index(), constAccess.comps(), false, new int[0], range);
      return new Candidate(p, s, est * constCount, binds, consumed);
    }
    Access seek = access(kE, kA, kV, attr);
    boolean seekUsesBound = false;
    for (int c : seek.comps()) {
      seekUsesBound |= pos[c].kind() == Pos.BOUND;
    }
    double fan;
    if (kE) {
      fan = kA ? (attr != null && attr.many() ? 4 : 1) : 20;
      if (kV && cV && cA && attr != null && (attr.indexed() || attr.unique() != null)) {
        double all = Math.max(1, db.count(IndexType.AEVT, pos[1].value()));
        fan = Math.min(fan, Math.max(0.01, db.count(IndexType.AVET, pos[1].value(), pos[2].value()) / all));
      } else if (kV) {
        fan = Math.min(fan, 0.5);
      }
    } else if (kA && kV) {
      if (attr != null && attr.unique() != null) {
        fan = 1;
      } else if (attr != null && attr.isRef()) {
        fan = 4;
      } else {
        Object k = pos[2].kind() == Pos.BOUND ? knownValue(scope, pos[2]) : null;
        fan =
            k != null && cA && attr != null && attr.indexed()
                ? db.count(IndexType.AVET, pos[1].value(), k)
                : Math.max(1, constCount / 200.0);
      }
    } else {
      fan = Math.max(1, constCount / 100.0);
    }
    boolean hash = !seekUsesBound || (est > constCount / 8.0 && constCount < 4_000_000);
    DbScan s;
    if (hash) {
      int[] keyPos = boundPos.stream().mapToInt(Integer::intValue).toArray();
      s = new DbScan(p.text(), db, pos, refV, constAccess.index(), constAccess.comps(), true, keyPos, range);
    } else {
      consumed.clear(); // a per-row seek does not apply the range
      s = new DbScan(p.text(), db, pos, refV, seek.index(), seek.comps(), false, new int[0], null);
    }
    return new Candidate(p, s, est * fan, binds, consumed);
  }

  /** The value of a scalar input, or null. */
  Object knownValue(Symbol s) {
    return knownValues.get(s);
  }

  /** The value of a bound variable known while planning (a scalar input), or null. */
  private Object knownValue(Scope scope, Pos p) {
    return p.kind() == Pos.BOUND && scope == top ? knownValues.get(scope.name(p.slot())) : null;
  }

  // ---------------------------------------------------------------- or

  private Candidate or(
      Clause.Or o,
      List<Clause> remaining,
      Set<Symbol> bound,
      Set<Symbol> context,
      Scope scope,
      Symbol dflt,
      double est) {
    Set<Symbol> join = new LinkedHashSet<>();
    if (o.joinVars() != null) {
      o.joinVars().forEach(v -> join.add(v.sym()));
      for (Term.Var r : o.required()) {
        if (!bound.contains(r.sym())) {
          return null;
        }
      }
    } else {
      Set<Symbol> outside = outside(o, remaining, context, bound);
      Set<Symbol> common = null;
      for (List<Clause> br : o.branches()) {
        Set<Symbol> vs = Vars.of(br);
        if (common == null) {
          common = new LinkedHashSet<>(vs);
        } else {
          common.retainAll(vs);
        }
        for (Symbol v : vs) {
          if (outside.contains(v)) {
            join.add(v);
          }
        }
      }
      join.addAll(common);
    }
    Set<Symbol> in = new LinkedHashSet<>();
    Set<Symbol> out = new LinkedHashSet<>();
    for (Symbol v : join) {
      (bound.contains(v) ? in : out).add(v);
    }
    Symbol src = o.src().equals(Term.Src.DEFAULT) ? dflt : o.src().sym();
    List<Union.Branch> branches = new ArrayList<>();
    double total = 0;
    for (List<Clause> br : o.branches()) {
      Set<Symbol> brBound = new HashSet<>();
      Plan plan;
      try {
        plan = plan(br, in, join, src, 1, brBound);
      } catch (PlanError e) {
        return null;
      }
      for (Symbol v : out) {
        if (!brBound.contains(v)) {
          throw new PlanError(
              "query/insufficient-binding",
              "every branch of or must bind " + v,
              o.text());
        }
      }
      int[] inOuter = new int[in.size()];
      int[] inInner = new int[in.size()];
      int i = 0;
      for (Symbol v : in) {
        inOuter[i] = scope.slot(v);
        Integer s = plan.scope.find(v);
        inInner[i] = s == null ? plan.scope.slot(v) : s;
        i++;
      }
      int[] outInner = new int[out.size()];
      i = 0;
      for (Symbol v : out) {
        outInner[i++] = plan.scope.find(v);
      }
      branches.add(new Union.Branch(plan, inOuter, inInner, outInner));
      total += plan.estimate;
    }
    int[] outOuter = new int[out.size()];
    int i = 0;
    for (Symbol v : out) {
      outOuter[i++] = scope.slot(v);
    }
    double e = est * (out.isEmpty() ? Math.min(1, total) : Math.max(total, 1));
    return new Candidate(o, new Union(o.text(), branches, outOuter), e, out);
  }

  // ---------------------------------------------------------------- rules

  private Candidate ruleCall(
      Clause.RuleCall r, Set<Symbol> bound, Scope scope, Symbol dflt, double est) {
    List<Rule> defs = rules.get(r.name());
    if (defs == null) {
      throw new PlanError("query/unknown-rule", "unknown rule " + r.name(), r.text());
    }
    Rule first = defs.get(0);
    int arity = first.head().size();
    if (r.args().size() != arity) {
      throw new PlanError(
          "query/wrong-arity",
          "rule " + r.name() + " takes " + arity + " arguments, got " + r.args().size(),
          r.text());
    }
    Pos[] pos = new Pos[arity];
    Set<Symbol> binds = new LinkedHashSet<>();
    int mask = 0;
    for (int i = 0; i < arity; i++) {
      Term t = r.args().get(i);
      pos[i] =
          switch (t) {
            case Term.Var v -> {
              Symbol s = v.sym();
              if (bound.contains(s)) {
                yield new Pos(Pos.BOUND, scope.slot(s), null);
              }
              if (binds.contains(s)) {
                yield new Pos(Pos.CHECK, scope.slot(s), null);
              }
              binds.add(s);
              yield new Pos(Pos.FREE, scope.slot(s), null);
            }
            case Term.Const k -> new Pos(Pos.CONST, -1, k.value());
            default -> new Pos(Pos.BLANK, -1, null);
          };
      if (pos[i].known()) {
        mask |= 1 << i;
      }
    }
    for (int i = 0; i < first.required().size(); i++) {
      if (!pos[i].known()) {
        return null;
      }
    }
    Symbol src = r.src().equals(Term.Src.DEFAULT) ? dflt : r.src().sym();
    RuleKey key = new RuleKey(r.name(), mask, src);
    try {
      rulePlans(key);
    } catch (PlanError e) {
      return null;
    }
    double fan = mask == 0 ? 1000 : 10;
    return new Candidate(r, new RuleCallStep(r.text(), key, pos), est * fan, binds);
  }

  /** The plans of every definition of a rule for one binding pattern (cached). */
  RulePlans rulePlans(RuleKey key) {
    RulePlans cached = rulePlans.get(key);
    if (cached != null) {
      return cached;
    }
    rulePlans.put(key, IN_PROGRESS);
    try {
      RulePlans rp = planRule(key);
      rulePlans.put(key, rp);
      return rp;
    } catch (RuntimeException e) {
      rulePlans.remove(key);
      throw e;
    }
  }

  private RulePlans planRule(RuleKey key) {
    List<Plan> plans = new ArrayList<>();
    List<int[]> heads = new ArrayList<>();
    for (Rule def : rules.get(key.name())) {
      List<Term.Var> head = def.head();
      Set<Symbol> seeds = new LinkedHashSet<>();
      Set<Symbol> ctx = new LinkedHashSet<>();
      for (int i = 0; i < head.size(); i++) {
        ctx.add(head.get(i).sym());
        if ((key.mask() & (1 << i)) != 0) {
          seeds.add(head.get(i).sym());
        }
      }
      Set<Symbol> bound = new HashSet<>();
      Plan plan = plan(def.body(), seeds, ctx, key.src(), 1, bound);
      int[] slots = new int[head.size()];
      for (int i = 0; i < slots.length; i++) {
        Symbol v = head.get(i).sym();
        if (!bound.contains(v)) {
          throw new PlanError(
              "query/insufficient-binding",
              "rule " + key.name() + " does not bind its head variable " + v,
              def.toString());
        }
        slots[i] = plan.scope.find(v);
      }
      plans.add(plan);
      heads.add(slots);
    }
    return new RulePlans(List.copyOf(plans), List.copyOf(heads));
  }

  /** Matches nothing: a pattern whose constant names an entity that does not exist. */
  static final class Empty extends Step {
    Empty(String clause) {
      super(clause);
    }

    @Override
    boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
      return true;
    }

    @Override
    String describe() {
      return "Empty " + clause;
    }
  }
}
