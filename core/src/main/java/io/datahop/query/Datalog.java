package io.datahop.query;

import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.query.ast.Query;
import io.datahop.query.exec.Aggregates;
import io.datahop.query.exec.Engine;
import io.datahop.query.exec.Fn;
import io.datahop.query.exec.Fns;
import io.datahop.query.parse.QueryParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The Datalog query engine: the Datomic/Datahike dialect over databases ({@link
 * io.datahop.db.Db}) and plain Java collections of tuples.
 *
 * <pre>{@code
 * Set<List<Object>> r = (Set<List<Object>>) Datalog.q(
 *     "[:find ?n :in $ ?min :where [?e :name ?n] [?e :age ?a] [(>= ?a ?min)]]", db, 18);
 * }</pre>
 *
 * <p>Results: a relation find gives a {@code Set<List<Object>>}; {@code [?x ...]} a {@code
 * List}; {@code [?x ?y]} one {@code List} or null; {@code ?x .} one value or null; with {@code
 * :keys}/{@code :strs}/{@code :syms} a collection of maps. Errors are {@link
 * io.datahop.DatahopException.Incorrect} with {@code query/…} codes naming the clause; a timeout
 * is {@link io.datahop.DatahopException.Unavailable} {@code query/timeout}.
 */
public final class Datalog {
  private static final Map<String, Query> PARSED = new ConcurrentHashMap<>();

  private Datalog() {}

  /**
   * Runs {@code query} (EDN text, vector form or map form) over {@code inputs} in {@code :in}
   * order. A map with a {@code :query} key is taken as a request map ({@code :args}, {@code
   * :timeout}, {@code :offset}, {@code :limit}), and so is a {@link QueryRequest}; {@code inputs}
   * given beside either come before its args ({@code db.q(request)} passes the db as {@code $}).
   */
  public static Object q(Object query, Object... inputs) {
    if (query instanceof QueryRequest r) {
      if (inputs.length == 0) {
        return q(r);
      }
      List<Object> args = new ArrayList<>(Arrays.asList(inputs));
      args.addAll(r.args());
      return q(new QueryRequest(r.query(), args, r.timeoutMs(), r.offset(), r.limit()));
    }
    if (query instanceof Map<?, ?> m && get(m, "query") != null) {
      Object args = get(m, "args");
      // inputs given beside the map (Db.q passes the db) come first, as $
      List<Object> list = new ArrayList<>(Arrays.asList(inputs));
      if (args != null) {
        list.addAll((Collection<?>) args);
      }
      return q(
          new QueryRequest(
              get(m, "query"),
              list,
              num(get(m, "timeout")),
              num(get(m, "offset")),
              num(get(m, "limit"))));
    }
    return Engine.run(parse(query), Arrays.asList(inputs), Engine.Options.NONE);
  }

  /**
   * Runs a request with its options. With a timeout ({@link QueryRequest#withTimeout}) the query
   * stops with {@link io.datahop.DatahopException.Unavailable} {@code query/timeout} once it has
   * run that long, or earlier at the deadline of an enclosing {@link QueryDeadline} scope.
   */
  public static Object q(QueryRequest request) {
    return Engine.run(
        parse(request.query()),
        request.args(),
        new Engine.Options(request.offset(), request.limit(), request.timeoutMs()));
  }

  /** The plan the engine would run for these inputs, one operator per line. */
  public static String explain(Object query, Object... inputs) {
    return Engine.explain(parse(query), Arrays.asList(inputs));
  }

  /** Parses (and caches, for text) a query. */
  public static Query parse(Object query) {
    if (query instanceof String s) {
      Query q = PARSED.get(s);
      if (q == null) {
        q = QueryParser.parse(s);
        if (PARSED.size() > 4096) {
          PARSED.clear();
        }
        PARSED.put(s, q);
      }
      return q;
    }
    return QueryParser.parse(query);
  }

  /**
   * Registers a function usable as a predicate {@code [(my/pred ?x)]} or a function expression
   * {@code [(my/f ?x) ?y]}; it receives the evaluated arguments (a {@code $} argument as the
   * input object).
   */
  public static void registerFunction(Object name, Function<List<Object>, Object> fn) {
    Symbol s = symbol(name);
    Fns.register(s, new Fn(s.text(), 0, -1, args -> fn.apply(Arrays.asList(args))));
  }

  /** Registers an aggregate {@code (my/agg ?x)} receiving the group's bag of values. */
  public static void registerAggregate(Object name, Function<List<Object>, Object> agg) {
    Aggregates.register(symbol(name), (args, values) -> agg.apply(values));
  }

  /**
   * Registers an aggregate with leading constant arguments, {@code (my/top 3 ?x)}: receives
   * {@code [3]} and the bag of values.
   */
  public static void registerAggregate(
      Object name, BiFunction<List<Object>, List<Object>, Object> agg) {
    Aggregates.register(symbol(name), agg::apply);
  }

  /** Removes a registered function and aggregate of that name. */
  public static void unregister(Object name) {
    Fns.unregister(symbol(name));
    Aggregates.unregister(symbol(name));
  }

  private static Symbol symbol(Object name) {
    return switch (name) {
      case Symbol s -> s;
      case String s -> Symbol.of(s);
      default -> throw new IllegalArgumentException("a function name is a Symbol or String");
    };
  }

  private static Object get(Map<?, ?> m, String key) {
    Object v = m.get(Keyword.of(key));
    return v != null ? v : m.containsKey(key) ? m.get(key) : m.get(":" + key);
  }

  private static Long num(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }
}
