package io.datahop.query.exec;

import io.datahop.DatahopException;
import io.datahop.db.Db;
import io.datahop.edn.Symbol;
import io.datahop.query.QueryDeadline;
import io.datahop.query.QueryErrors;
import io.datahop.query.ast.Binding;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.FindElem;
import io.datahop.query.ast.Query;
import io.datahop.query.ast.Rule;
import io.datahop.query.ast.Term;
import io.datahop.query.parse.QueryParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Runs a parsed query: binds the inputs, validates, plans (per execution, because estimates
 * depend on the data and the inputs), executes, and shapes the result as the find spec says.
 */
public final class Engine {
  private Engine() {}

  /** Per-call options; null fields mean "as the query says". */
  public record Options(Long offset, Long limit, Long timeoutMs) {
    /** No overrides. */
    public static final Options NONE = new Options(null, null, null);
  }

  /** The prepared state of one execution: planner, plan, initial rows. */
  private record Prepared(Query query, Planner planner, Plan plan, List<Object[]> rows, RuleEngine rules) {}

  /** Ten years: a longer timeout is none in practice. */
  private static final long MAX_TIMEOUT_MS = 10L * 365 * 24 * 3600 * 1000;

  /** Runs {@code q} over {@code inputs}. */
  public static Object run(Query q, List<Object> inputs, Options opts) {
    long start = System.nanoTime();
    long timeout =
        opts.timeoutMs() != null ? opts.timeoutMs() : q.timeoutMs() != null ? q.timeoutMs() : 0;
    timeout = Math.min(timeout, MAX_TIMEOUT_MS); // in nanoseconds it must not overflow
    // the earlier of the query's own timeout and the deadline of the scope it runs in (a remote
    // body, QueryDeadline.within, the enclosing query of a subquery)
    OptionalLong outer = QueryDeadline.current();
    boolean own = timeout > 0 && (outer.isEmpty() || start + timeout * 1_000_000L - outer.getAsLong() < 0);
    boolean has = own || outer.isPresent();
    long deadline = own ? start + timeout * 1_000_000L : outer.orElse(0);
    // a deadline of its own becomes its subqueries' scope; an inherited one already is
    Long previous = own ? QueryDeadline.enter(deadline) : null;
    try {
      Prepared p = prepare(q, inputs);
      Exec ex = new Exec(has, deadline, own ? timeout : 0, p.rules());
      ex.checkpoint(); // a cancelled body or an exhausted deadline runs no further query
      Long offset = opts.offset() != null ? opts.offset() : q.offset();
      Long limit = opts.limit() != null ? opts.limit() : q.limit();
      return Results.collect(q, p.plan(), p.planner(), ex, p.rows(), offset, limit);
    } finally {
      if (own) {
        QueryDeadline.exit(previous);
      }
    }
  }

  /** The chosen plan as text: one operator per line, sub-plans indented. */
  public static String explain(Query q, List<Object> inputs) {
    Prepared p = prepare(q, inputs);
    StringBuilder sb = new StringBuilder();
    sb.append("Query ").append(q.find().getClass().getSimpleName().toLowerCase()).append(" find ");
    sb.append(q.find().elements()).append('\n');
    sb.append("  Inputs ").append(p.rows().size()).append(" row(s)\n");
    p.plan().explain(sb, 1);
    sb.append("  estimated rows: ").append(String.format("%.1f", p.plan().estimate)).append('\n');
    return sb.toString();
  }

  private static Prepared prepare(Query q, List<Object> inputs) {
    List<Binding> in = q.in();
    boolean defaultIn =
        in.size() == 1 && in.get(0) instanceof Binding.Source s && s.src().equals(Term.Src.DEFAULT);
    if (inputs.size() != in.size() && !(defaultIn && inputs.isEmpty())) {
      throw QueryErrors.incorrect(
          "query/wrong-inputs",
          "the query takes " + in.size() + " input(s) " + in + " but got " + inputs.size(),
          null);
    }
    Map<Symbol, Object> sources = new LinkedHashMap<>();
    Map<Symbol, List<Rule>> rules = new LinkedHashMap<>();
    Map<Symbol, Object> known = new HashMap<>();
    Scope seedScope = new Scope();
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[0]);
    List<Binder> binders = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < in.size() && i < inputs.size(); i++) {
      Binding b = in.get(i);
      Object input = inputs.get(i);
      switch (b) {
        case Binding.Source s -> {
          if (input instanceof Iterable<?> it && !(input instanceof Collection<?>)) {
            List<Object> copy = new ArrayList<>(); // e.g. the datoms of Db.datoms
            it.forEach(copy::add);
            input = copy;
          }
          if (!(input instanceof Db) && !(input instanceof Collection<?>) && !(input instanceof io.datahop.db.Log)) {
            throw QueryErrors.incorrect(
                "query/bad-source",
                "input " + s + " must be a database, a log or a collection of tuples, got "
                    + (input == null ? "nil" : input.getClass().getSimpleName()),
                null);
          }
          sources.put(s.src().sym(), input);
        }
        case Binding.Rules r -> {
          for (Rule rule : QueryParser.parseRules(input)) {
            rules.computeIfAbsent(rule.name(), k -> new ArrayList<>()).add(rule);
          }
        }
        default -> {
          Object v = Values.normalize(input);
          if (b instanceof Binding.Scalar sc) {
            known.put(sc.var().sym(), v);
          }
          binders.add(binderFor(b, seedScope));
          values.add(v);
        }
      }
    }
    for (List<Rule> defs : rules.values()) {
      int arity = defs.get(0).head().size();
      for (Rule d : defs) {
        if (d.head().size() != arity) {
          throw QueryErrors.incorrect(
              "query/malformed-rule",
              "every definition of rule " + d.name() + " must take " + arity + " arguments",
              null);
        }
      }
    }
    int width = seedScope.width();
    List<Object[]> cur = new ArrayList<>();
    cur.add(new Object[width]);
    for (int i = 0; i < binders.size(); i++) {
      List<Object[]> next = new ArrayList<>();
      for (Object[] r : cur) {
        try {
          binders.get(i).bind(values.get(i), r, next);
        } catch (IllegalArgumentException e) {
          throw QueryErrors.incorrect("query/bad-input", e.getMessage(), null);
        }
      }
      cur = next;
    }
    rows = cur;
    Set<Symbol> seeds = new LinkedHashSet<>();
    for (int i = 0; i < width; i++) {
      seeds.add(seedScope.name(i));
    }
    try {
      Validator.validate(q, seeds, rules);
    } catch (PlanError e) {
      throw e.toError();
    }
    RuleEngine ruleEngine = new RuleEngine(rules);
    Planner planner = new Planner(sources, rules, known);
    ruleEngine.planner(planner);
    Set<Symbol> context = new LinkedHashSet<>();
    for (FindElem e : q.find().elements()) {
      switch (e) {
        case FindElem.Var v -> context.add(v.var().sym());
        case FindElem.Aggregate a -> context.add(a.var().sym());
        case FindElem.Pull pl -> {
          context.add(pl.var().sym());
          if (pl.pattern() instanceof Term.Var pv) {
            context.add(pv.sym());
          }
        }
      }
    }
    q.with().forEach(v -> context.add(v.sym()));
    Plan plan;
    try {
      plan = planner.plan(q.where(), seeds, context, Term.Src.DEFAULT.sym(), rows.size(), null);
    } catch (PlanError e) {
      throw e.toError();
    }
    if (plan.width() > width) {
      List<Object[]> widened = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        widened.add(java.util.Arrays.copyOf(r, plan.width()));
      }
      rows = widened;
    }
    return new Prepared(q, planner, plan, rows, ruleEngine);
  }

  private static Binder binderFor(Binding b, Scope scope) {
    return switch (b) {
      case Binding.Scalar s -> new Binder.Scalar(scope.slot(s.var().sym()), false);
      case Binding.Blank x -> new Binder.Blank();
      case Binding.Tuple t -> {
        Binder[] items = new Binder[t.items().size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = binderFor(t.items().get(i), scope);
        }
        yield new Binder.Tuple(items);
      }
      case Binding.Coll c -> new Binder.Coll(binderFor(c.item(), scope));
      case Binding.Rel r -> new Binder.Coll(binderFor(r.tuple(), scope));
      default ->
          throw QueryErrors.incorrect("query/malformed", "unexpected binding " + b, null);
    };
  }

  static DatahopException.Incorrect error(String code, String message, Clause c) {
    return QueryErrors.incorrect(code, message, c == null ? null : c.text());
  }
}
