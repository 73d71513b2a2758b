package io.datahop.query.exec;

import io.datahop.edn.Symbol;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates rules bottom-up for the bound arguments actually asked for, to a fixpoint.
 *
 * <p>Implementation notes. Each call site asks for a rule with some argument positions bound;
 * the distinct bound tuples are the call's seeds (the "magic set" of the magic-sets rewrite).
 * Rules are grouped into strongly connected components of the call graph; one component is
 * solved at a time with one table per (rule, binding pattern, source): its seeds and its answers
 * grouped by seed. Rounds are semi-naive: new seeds are evaluated against all known answers, and
 * old seeds are re-evaluated only through a recursive call that reads the previous round's new
 * answers (its delta), once per recursive call position. The fixpoint is reached when a round
 * adds neither seeds nor answers. A call into a lower component solves it completely first, so
 * negation over such calls is stratified. Completed tables are kept for the whole query.
 */
final class RuleEngine {
  private final Map<Symbol, List<Rule>> rules;
  private final Map<Symbol, Integer> component = new HashMap<>();
  private final Set<Symbol> recursive = new HashSet<>();
  private final Map<RuleKey, Table> complete = new HashMap<>();
  private Planner planner;
  private Fixpoint active;

  RuleEngine(Map<Symbol, List<Rule>> rules) {
    this.rules = rules;
    computeComponents();
  }

  void planner(Planner p) {
    this.planner = p;
  }

  private static final class Table {
    final RuleKey key;
    final Set<List<Object>> seeds = new HashSet<>();
    final List<List<Object>> evaluated = new ArrayList<>();
    List<List<Object>> pending = new ArrayList<>();
    final Map<List<Object>, Set<List<Object>>> answers = new HashMap<>();
    Map<List<Object>, List<List<Object>>> delta = new HashMap<>();
    Map<List<Object>, List<List<Object>>> nextDelta = new HashMap<>();

    Table(RuleKey key) {
      this.key = key;
    }

    void addSeeds(Set<List<Object>> s) {
      for (List<Object> k : s) {
        if (seeds.add(k)) {
          pending.add(k);
        }
      }
    }

    void addAnswer(List<Object> seed, List<Object> tuple) {
      if (answers.computeIfAbsent(seed, x -> new LinkedHashSet<>()).add(tuple)) {
        nextDelta.computeIfAbsent(seed, x -> new ArrayList<>()).add(tuple);
      }
    }
  }

  private final class Fixpoint {
    final int component;
    final Map<RuleKey, Table> tables = new LinkedHashMap<>();
    RuleCallStep deltaStep;

    Fixpoint(int component) {
      this.component = component;
    }

    Table table(RuleKey k) {
      return tables.computeIfAbsent(k, Table::new);
    }
  }

  /** Answers of the rule for every seed, grouped by seed. */
  Map<List<Object>, List<List<Object>>> call(Exec ex, RuleCallStep step, Set<List<Object>> seeds) {
    RuleKey key = step.key;
    Fixpoint fp = active;
    if (fp != null && fp.component == component.get(key.name())) {
      Table t = fp.table(key);
      t.addSeeds(seeds);
      boolean useDelta = fp.deltaStep == step;
      Map<List<Object>, List<List<Object>>> out = new HashMap<>();
      for (List<Object> s : seeds) {
        ex.tick();
        Iterable<List<Object>> src = useDelta ? t.delta.get(s) : t.answers.get(s);
        if (src != null) {
          List<List<Object>> copy = new ArrayList<>();
          src.forEach(copy::add);
          out.put(s, copy);
        }
      }
      return out;
    }
    Table done = complete.get(key);
    Set<List<Object>> missing = new LinkedHashSet<>();
    for (List<Object> s : seeds) {
      if (done == null || !done.seeds.contains(s)) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      solve(ex, key, missing);
      done = complete.get(key);
    }
    Map<List<Object>, List<List<Object>>> out = new HashMap<>();
    for (List<Object> s : seeds) {
      ex.tick();
      Set<List<Object>> a = done.answers.get(s);
      if (a != null) {
        out.put(s, new ArrayList<>(a));
      }
    }
    return out;
  }

  private void solve(Exec ex, RuleKey key, Set<List<Object>> seeds) {
    Fixpoint outer = active;
    Fixpoint fp = new Fixpoint(component.get(key.name()));
    active = fp;
    try {
      fp.table(key).addSeeds(seeds);
      boolean rec = recursive.contains(key.name());
      while (true) {
        // a fixpoint of many rounds that each touch little (a long chain) must stop too
        ex.checkpoint();
        boolean work = false;
        for (Table t : fp.tables.values()) {
          t.delta = t.nextDelta;
          t.nextDelta = new HashMap<>();
          work |= !t.pending.isEmpty() || !t.delta.isEmpty();
        }
        if (!work) {
          break;
        }
        for (Table t : new ArrayList<>(fp.tables.values())) {
          List<List<Object>> fresh = t.pending;
          t.pending = new ArrayList<>();
          Planner.RulePlans rp = planner.rulePlans(t.key);
          if (!fresh.isEmpty()) {
            for (int d = 0; d < rp.plans().size(); d++) {
              fp.deltaStep = null;
              evaluate(ex, t, rp.plans().get(d), rp.heads().get(d), fresh);
            }
          }
          if (rec && !t.evaluated.isEmpty()) {
            boolean anyDelta = false;
            for (Table o : fp.tables.values()) {
              anyDelta |= !o.delta.isEmpty();
            }
            for (int d = 0; anyDelta && d < rp.plans().size(); d++) {
              Plan plan = rp.plans().get(d);
              if (nestedCall(plan, fp.component, false)) {
                // a recursive call inside or/not: re-evaluate naively against all answers
                fp.deltaStep = null;
                evaluate(ex, t, plan, rp.heads().get(d), t.evaluated);
                continue;
              }
              for (Step s : plan.steps) {
                if (s instanceof RuleCallStep call
                    && component.get(call.key.name()) == fp.component
                    && fp.tables.containsKey(call.key)
                    && !fp.tables.get(call.key).delta.isEmpty()) {
                  fp.deltaStep = call;
                  evaluate(ex, t, plan, rp.heads().get(d), t.evaluated);
                }
              }
            }
          }
          fp.deltaStep = null;
          t.evaluated.addAll(fresh);
        }
        if (!rec) {
          // a non-recursive rule is done after one round of evaluation
          boolean more = false;
          for (Table t : fp.tables.values()) {
            more |= !t.pending.isEmpty();
          }
          if (!more) {
            break;
          }
        }
      }
    } finally {
      active = outer;
    }
    for (Table t : fp.tables.values()) {
      Table c = complete.computeIfAbsent(t.key, Table::new);
      c.seeds.addAll(t.seeds);
      for (var e : t.answers.entrySet()) {
        c.answers.computeIfAbsent(e.getKey(), x -> new LinkedHashSet<>()).addAll(e.getValue());
      }
    }
  }

  private boolean nestedCall(Plan plan, int comp, boolean nested) {
    for (Step s : plan.steps) {
      if (nested && s instanceof RuleCallStep c && component.get(c.key.name()) == comp) {
        return true;
      }
      for (var child : s.children()) {
        if (nestedCall(child.getValue(), comp, true)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void evaluate(
      Exec ex, Table t, Plan plan, int[] head, List<List<Object>> seeds) {
    int mask = t.key.mask();
    List<Object[]> rows = new ArrayList<>(seeds.size());
    for (List<Object> s : seeds) {
      ex.tick();
      Object[] row = new Object[plan.width()];
      int j = 0;
      for (int i = 0; i < head.length; i++) {
        if ((mask & (1 << i)) != 0) {
          Object v = s.get(j++);
          if (row[head[i]] != null && !Values.eq(row[head[i]], v)) {
            row = null;
            break;
          }
          row[head[i]] = v;
        }
      }
      if (row != null) {
        rows.add(row);
      }
    }
    ex.run(
        plan,
        rows,
        r -> {
          Object[] tuple = new Object[head.length];
          Object[] seed = new Object[Integer.bitCount(mask)];
          int j = 0;
          for (int i = 0; i < head.length; i++) {
            tuple[i] = r[head[i]];
            if ((mask & (1 << i)) != 0) {
              seed[j++] = tuple[i];
            }
          }
          t.addAnswer(java.util.Arrays.asList(seed), java.util.Arrays.asList(tuple));
          return true;
        });
  }

  // -------------------------------------------------------------- call graph

  private void computeComponents() {
    Map<Symbol, Set<Symbol>> calls = new HashMap<>();
    for (var e : rules.entrySet()) {
      Set<Symbol> out = new HashSet<>();
      for (Rule r : e.getValue()) {
        for (Clause c : r.body()) {
          collectCalls(c, out);
        }
      }
      calls.put(e.getKey(), out);
    }
    Map<Symbol, Set<Symbol>> reach = new HashMap<>();
    for (Symbol s : rules.keySet()) {
      Set<Symbol> seen = new HashSet<>();
      ArrayList<Symbol> stack = new ArrayList<>(calls.getOrDefault(s, Set.of()));
      while (!stack.isEmpty()) {
        Symbol x = stack.remove(stack.size() - 1);
        if (seen.add(x)) {
          stack.addAll(calls.getOrDefault(x, Set.of()));
        }
      }
      reach.put(s, seen);
    }
    int next = 0;
    for (Symbol s : rules.keySet()) {
      if (component.containsKey(s)) {
        continue;
      }
      int id = next++;
      component.put(s, id);
      for (Symbol o : rules.keySet()) {
        if (!o.equals(s) && reach.get(s).contains(o) && reach.get(o).contains(s)) {
          component.put(o, id);
        }
      }
    }
    for (Symbol s : rules.keySet()) {
      if (reach.get(s).contains(s)) {
        recursive.add(s);
      }
    }
    // a rule that negates a call into its own component has no stratified meaning (Datomic
    // overflows its stack on one): refuse it instead of answering from a partial fixpoint
    for (var e : rules.entrySet()) {
      for (Rule r : e.getValue()) {
        Set<Symbol> negated = new HashSet<>();
        for (Clause c : r.body()) {
          collectNegated(c, false, negated);
        }
        for (Symbol n : negated) {
          if (component.get(e.getKey()).equals(component.get(n))) {
            throw io.datahop.query.QueryErrors.incorrect(
                "query/unstratified-negation",
                "rule " + e.getKey() + " negates " + n + ", which depends on " + e.getKey()
                    + ": negation through recursion has no answer",
                null);
          }
        }
      }
    }
  }

  private static void collectNegated(Clause c, boolean underNot, Set<Symbol> out) {
    switch (c) {
      case Clause.RuleCall r -> {
        if (underNot) {
          out.add(r.name());
        }
      }
      case Clause.Not n -> n.body().forEach(b -> collectNegated(b, true, out));
      case Clause.Or o -> o.branches().forEach(br -> br.forEach(b -> collectNegated(b, underNot, out)));
      default -> {}
    }
  }

  private static void collectCalls(Clause c, Set<Symbol> out) {
    switch (c) {
      case Clause.RuleCall r -> out.add(r.name());
      case Clause.Not n -> n.body().forEach(b -> collectCalls(b, out));
      case Clause.Or o -> o.branches().forEach(br -> br.forEach(b -> collectCalls(b, out)));
      default -> {}
    }
  }
}
