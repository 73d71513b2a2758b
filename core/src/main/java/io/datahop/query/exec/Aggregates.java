package io.datahop.query.exec;

import io.datahop.edn.Symbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The aggregates of {@code :find}: Datomic's built-ins and those registered from Java. An
 * aggregate receives its constant arguments (the {@code n} of {@code (max n ?x)}) and the bag of
 * values of its group (duplicates kept, as the {@code :with} semantics require).
 */
public final class Aggregates {
  /** An aggregate function. */
  @FunctionalInterface
  public interface Agg {
    Object apply(List<Object> args, List<Object> values);
  }

  private static final Map<String, Agg> BUILTIN = new ConcurrentHashMap<>();
  private static final Map<String, Agg> USER = new ConcurrentHashMap<>();

  private Aggregates() {}

  /** Looks an aggregate up, or {@code null}. */
  public static Agg lookup(Symbol s) {
    String k = Fns.key(s);
    Agg a = USER.get(k);
    return a != null ? a : BUILTIN.get(k);
  }

  /** Registers (or replaces) a user aggregate. */
  public static void register(Symbol s, Agg a) {
    USER.put(Fns.key(s), a);
  }

  /** Removes a user aggregate. */
  public static void unregister(Symbol s) {
    USER.remove(Fns.key(s));
  }

  private static int n(List<Object> args, String name) {
    if (args.size() != 1 || !(args.get(0) instanceof Number n)) {
      throw new IllegalArgumentException("(" + name + " n ?x) needs a number n");
    }
    return n.intValue();
  }

  private static Number sum(List<Object> vs) {
    Number acc = 0L;
    for (Object v : vs) {
      acc = Values.arith('+', acc, Values.num(v, "sum"));
    }
    return acc;
  }

  private static double avg(List<Object> vs) {
    double s = 0;
    for (Object v : vs) {
      s += Values.num(v, "avg").doubleValue();
    }
    return s / vs.size();
  }

  private static double variance(List<Object> vs) {
    double mean = avg(vs);
    double s = 0;
    for (Object v : vs) {
      double d = Values.num(v, "variance").doubleValue() - mean;
      s += d * d;
    }
    return s / vs.size();
  }

  static {
    BUILTIN.put("count", (a, vs) -> (long) vs.size());
    BUILTIN.put("count-distinct", (a, vs) -> (long) new HashSet<>(vs).size());
    BUILTIN.put("sum", (a, vs) -> sum(vs));
    BUILTIN.put("avg", (a, vs) -> avg(vs));
    BUILTIN.put(
        "median",
        (a, vs) -> {
          List<Object> s = new ArrayList<>(vs);
          s.sort(QueryOrder.ORDER);
          int mid = s.size() / 2;
          if (s.size() % 2 == 1) {
            return s.get(mid);
          }
          Number x = Values.num(s.get(mid - 1), "median");
          Number y = Values.num(s.get(mid), "median");
          Number sum = Values.arith('+', x, y);
          // Datomic takes (quot (+ x y) 2) of the middle two: the median of [1 2 3 5] is 2, of
          // [1.0 2.0 3.0 5.0] it is 2.0 (checked by bench's DatomicDifferentialTest)
          if (sum instanceof Double d) {
            double half = d / 2;
            return half < 0 ? Math.ceil(half) : Math.floor(half);
          }
          return Values.arith('/', sum, 2L);
        });
    BUILTIN.put("variance", (a, vs) -> variance(vs));
    BUILTIN.put("stddev", (a, vs) -> Math.sqrt(variance(vs)));
    BUILTIN.put(
        "min",
        (a, vs) -> {
          if (a.isEmpty()) {
            return Collections.min(vs, QueryOrder.ORDER);
          }
          // the bag as it is: with :with, equal values of distinct tuples all count (as Datomic)
          List<Object> s = new ArrayList<>(vs);
          s.sort(QueryOrder.ORDER);
          return List.copyOf(s.subList(0, Math.min(n(a, "min"), s.size())));
        });
    BUILTIN.put(
        "max",
        (a, vs) -> {
          if (a.isEmpty()) {
            return Collections.max(vs, QueryOrder.ORDER);
          }
          // the bag as it is: with :with, equal values of distinct tuples all count (as Datomic)
          List<Object> s = new ArrayList<>(vs);
          s.sort(QueryOrder.ORDER.reversed());
          return List.copyOf(s.subList(0, Math.min(n(a, "max"), s.size())));
        });
    BUILTIN.put("distinct", (a, vs) -> Collections.unmodifiableSet(new LinkedHashSet<>(vs)));
    BUILTIN.put(
        "rand",
        (a, vs) -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          if (a.isEmpty()) {
            return vs.get(r.nextInt(vs.size()));
          }
          int n = n(a, "rand");
          List<Object> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            out.add(vs.get(r.nextInt(vs.size())));
          }
          return Collections.unmodifiableList(out);
        });
    BUILTIN.put(
        "sample",
        (a, vs) -> {
          List<Object> s = new ArrayList<>(new LinkedHashSet<>(vs));
          Collections.shuffle(s, ThreadLocalRandom.current());
          return List.copyOf(s.subList(0, Math.min(n(a, "sample"), s.size())));
        });
  }
}
