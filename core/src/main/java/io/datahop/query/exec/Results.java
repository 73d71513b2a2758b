package io.datahop.query.exec;

import io.datahop.db.Db;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.query.QueryErrors;
import io.datahop.query.ast.FindElem;
import io.datahop.query.ast.FindSpec;
import io.datahop.query.ast.Query;
import io.datahop.query.ast.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the rows of the executed plan into the result the find spec asks for. Rows are projected
 * onto the find and {@code :with} variables as a set (Datomic's set semantics); aggregates then
 * see, per group, the bag of values of those distinct tuples; {@code :with} variables are
 * dropped last.
 */
final class Results {
  private Results() {}

  static Object collect(
      Query q, Plan plan, Planner planner, Exec ex, List<Object[]> rows, Long offset, Long limit) {
    List<FindElem> elems = q.find().elements();
    int nf = elems.size();
    int[] slots = new int[nf + q.with().size()];
    boolean aggregate = false;
    boolean pull = false;
    for (int i = 0; i < nf; i++) {
      FindElem e = elems.get(i);
      Term.Var v =
          switch (e) {
            case FindElem.Var x -> x.var();
            case FindElem.Aggregate a -> a.var();
            case FindElem.Pull p -> p.var();
          };
      aggregate |= e instanceof FindElem.Aggregate;
      pull |= e instanceof FindElem.Pull;
      slots[i] = plan.scope.find(v.sym());
    }
    for (int i = 0; i < q.with().size(); i++) {
      slots[nf + i] = plan.scope.find(q.with().get(i).sym());
    }
    Set<List<Object>> tuples =
        new HashSet<>((int) Math.min(1 << 20, Math.max(16, plan.estimate * 1.5)));
    boolean single = q.find() instanceof FindSpec.Scalar || q.find() instanceof FindSpec.Tuple;
    boolean early = single && !aggregate && q.with().isEmpty();
    ex.run(
        plan,
        rows,
        r -> {
          Object[] t = new Object[slots.length];
          for (int i = 0; i < t.length; i++) {
            t[i] = r[slots[i]];
          }
          tuples.add(new Tuple(t));
          return !early;
        });
    if (q.find() instanceof FindSpec.Rel
        && !aggregate
        && !pull
        && q.with().isEmpty()
        && q.returnKind() == null
        && offset == null
        && limit == null) {
      return tuples; // already the relation: a set of immutable tuples
    }
    Collection<List<Object>> out;
    if (aggregate) {
      out = aggregate(q, elems, tuples, ex);
    } else if (!q.with().isEmpty()) {
      List<List<Object>> bag = new ArrayList<>(tuples.size());
      for (List<Object> t : tuples) {
        bag.add(t.subList(0, nf));
      }
      out = bag;
    } else {
      out = tuples;
    }
    if (pull) {
      out = pull(q, elems, out, planner, ex);
    }
    return shape(q, out, offset, limit);
  }

  private static Collection<List<Object>> aggregate(
      Query q, List<FindElem> elems, Set<List<Object>> tuples, Exec ex) {
    int nf = elems.size();
    int[] keyCols = java.util.stream.IntStream.range(0, nf)
        .filter(i -> !(elems.get(i) instanceof FindElem.Aggregate))
        .toArray();
    int[] aggCols = java.util.stream.IntStream.range(0, nf)
        .filter(i -> elems.get(i) instanceof FindElem.Aggregate)
        .toArray();
    // group key: the single grouping value itself, or a tuple of them; per group one value
    // list per aggregate (the bag of values, as :with semantics require)
    Map<Object, List<Object>[]> groups = new LinkedHashMap<>();
    for (List<Object> t : tuples) {
      ex.tick();
      Object key;
      if (keyCols.length == 1) {
        key = t.get(keyCols[0]);
      } else {
        Object[] k = new Object[keyCols.length];
        for (int i = 0; i < k.length; i++) {
          k[i] = t.get(keyCols[i]);
        }
        key = new Tuple(k);
      }
      List<Object>[] vals = groups.get(key);
      if (vals == null) {
        @SuppressWarnings("unchecked")
        List<Object>[] fresh = new List[aggCols.length];
        for (int i = 0; i < fresh.length; i++) {
          fresh[i] = new ArrayList<>();
        }
        vals = fresh;
        groups.put(key, vals);
      }
      for (int i = 0; i < aggCols.length; i++) {
        vals[i].add(t.get(aggCols[i]));
      }
    }
    Set<List<Object>> out = new LinkedHashSet<>();
    for (var g : groups.entrySet()) {
      ex.tick(); // an aggregate of a big group costs more than one tick; many groups add up
      Object[] row = new Object[nf];
      for (int i = 0; i < keyCols.length; i++) {
        row[keyCols[i]] =
            keyCols.length == 1 ? g.getKey() : ((Tuple) g.getKey()).get(i);
      }
      for (int i = 0; i < aggCols.length; i++) {
        FindElem.Aggregate a = (FindElem.Aggregate) elems.get(aggCols[i]);
        try {
          row[aggCols[i]] =
              Values.normalize(Aggregates.lookup(a.fn()).apply(a.args(), g.getValue()[i]));
        } catch (io.datahop.DatahopException e) {
          throw e;
        } catch (BigBounds.TooLarge e) {
          throw QueryErrors.incorrect(e.code, e.getMessage(), a.toString(), e.context, null);
        } catch (RuntimeException e) {
          throw QueryErrors.incorrect(
              "query/function-failed",
              "aggregate " + a.fn() + " failed: " + e.getMessage(),
              a.toString(),
              e);
        }
      }
      out.add(new Tuple(row));
    }
    return out;
  }

  private static Collection<List<Object>> pull(
      Query q, List<FindElem> elems, Collection<List<Object>> in, Planner planner, Exec ex) {
    List<List<Object>> out = new ArrayList<>(in.size());
    for (List<Object> t : in) {
      ex.tick();
      Object[] row = t.toArray();
      for (int i = 0; i < elems.size(); i++) {
        if (elems.get(i) instanceof FindElem.Pull p) {
          Object src = planner.source(p.src().sym(), p.toString());
          if (!(src instanceof Db db)) {
            throw QueryErrors.incorrect(
                "query/bad-source", "pull needs a database source", p.toString());
          }
          Object pattern =
              p.pattern() instanceof Term.Const c
                  ? c.value()
                  : planner.knownValue(((Term.Var) p.pattern()).sym());
          if (pattern == null) {
            throw QueryErrors.incorrect(
                "query/unbound-variable", "the pull pattern must be bound by :in", p.toString());
          }
          row[i] = db.pull(pattern, row[i]);
        }
      }
      out.add(Arrays.asList(row));
    }
    return q.with().isEmpty() ? new LinkedHashSet<>(out) : out;
  }

  private static Object shape(Query q, Collection<List<Object>> rows, Long offset, Long limit) {
    Collection<List<Object>> sliced = rows;
    if ((offset != null && offset > 0) || (limit != null && limit >= 0)) {
      long skip = offset == null ? 0 : Math.max(0, offset);
      long take = limit == null || limit < 0 ? Long.MAX_VALUE : limit;
      Collection<List<Object>> s =
          rows instanceof Set<?> ? new LinkedHashSet<>() : new ArrayList<>();
      long i = 0;
      for (List<Object> r : rows) {
        if (i++ < skip) {
          continue;
        }
        if (s.size() >= take) {
          break;
        }
        s.add(r);
      }
      sliced = s;
    }
    return switch (q.find()) {
      case FindSpec.Scalar s -> sliced.isEmpty() ? null : sliced.iterator().next().get(0);
      case FindSpec.Tuple t ->
          sliced.isEmpty() ? null : maybeMap(q, nullSafe(sliced.iterator().next()));
      case FindSpec.Coll c -> {
        List<Object> out = new ArrayList<>(sliced.size());
        for (List<Object> r : sliced) {
          out.add(r.get(0));
        }
        yield out;
      }
      case FindSpec.Rel r -> {
        if (q.returnKind() != null) {
          Collection<Object> maps = sliced instanceof Set<?> ? new HashSet<>() : new ArrayList<>();
          for (List<Object> row : sliced) {
            maps.add(maybeMap(q, row));
          }
          yield maps;
        }
        if (sliced instanceof Set<?>) {
          Set<List<Object>> out = new HashSet<>(Math.max(16, sliced.size() * 4 / 3 + 1));
          for (List<Object> row : sliced) {
            out.add(java.util.Collections.unmodifiableList(row));
          }
          yield out;
        }
        yield sliced;
      }
    };
  }

  private static List<Object> nullSafe(List<Object> l) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(l));
  }

  private static Object maybeMap(Query q, List<Object> row) {
    if (q.returnKind() == null) {
      return row;
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < row.size(); i++) {
      String n = q.returnNames().get(i);
      Object key =
          switch (q.returnKind()) {
            case "keys" -> Keyword.of(n);
            case "syms" -> Symbol.of(n);
            default -> n;
          };
      m.put(key, row.get(i));
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
