package io.datahop.query.exec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a data pattern against a collection of tuples (a {@code $} input that is a plain
 * Java collection of lists). The collection is normalised once; when some positions are known,
 * it is grouped by them on first use, so each row is a hash probe rather than a scan.
 */
final class CollScan extends Step {
  private final Collection<?> source;
  private final Pos[] pos;
  private final int[] keyPos;

  CollScan(String clause, Collection<?> source, Pos[] pos) {
    super(clause);
    this.source = source;
    this.pos = pos;
    List<Integer> k = new ArrayList<>();
    for (int i = 0; i < pos.length; i++) {
      if (pos[i].known()) {
        k.add(i);
      }
    }
    this.keyPos = k.stream().mapToInt(Integer::intValue).toArray();
  }

  static List<Object[]> tuples(Exec ex, Collection<?> source) {
    return ex.cached(
        source,
        () -> {
          List<Object[]> out = new ArrayList<>(source.size());
          for (Object t : source) {
            ex.tick();
            List<?> l = Binder.seq(t);
            if (l == null) {
              if (t instanceof io.datahop.db.Datom d) {
                l = List.of(d.e(), d.a(), d.v(), d.tx(), d.added());
              } else {
                throw new IllegalArgumentException(
                    "a collection source holds tuples, got " + Values.str(t));
              }
            }
            Object[] a = new Object[l.size()];
            for (int i = 0; i < a.length; i++) {
              a[i] = Values.normalize(l.get(i));
            }
            out.add(a);
          }
          return out;
        });
  }

  private Object key(Object[] t) {
    if (keyPos.length == 1) {
      return t[keyPos[0]];
    }
    Object[] k = new Object[keyPos.length];
    for (int i = 0; i < k.length; i++) {
      k[i] = t[keyPos[i]];
    }
    return java.util.Arrays.asList(k);
  }

  private Object rowKey(Object[] row) {
    if (keyPos.length == 1) {
      Pos q = pos[keyPos[0]];
      return q.kind() == Pos.CONST ? q.value() : row[q.slot()];
    }
    Object[] k = new Object[keyPos.length];
    for (int i = 0; i < k.length; i++) {
      Pos q = pos[keyPos[i]];
      k[i] = q.kind() == Pos.CONST ? q.value() : row[q.slot()];
    }
    return java.util.Arrays.asList(k);
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    List<Object[]> candidates;
    if (keyPos.length == 0) {
      candidates = tuples(ex, source);
    } else {
      Map<Object, List<Object[]>> index =
          ex.cached(
              this,
              () -> {
                Map<Object, List<Object[]>> m = new HashMap<>();
                for (Object[] t : tuples(ex, source)) {
                  ex.tick();
                  if (t.length >= pos.length) {
                    m.computeIfAbsent(key(t), x -> new ArrayList<>(2)).add(t);
                  }
                }
                return m;
              });
      candidates = index.get(rowKey(row));
      if (candidates == null) {
        return true;
      }
    }
    outer:
    for (Object[] t : candidates) {
      ex.tick(); // also for tuples that do not match: a scan of a big collection can match none
      if (t.length < pos.length) {
        continue;
      }
      Object[] out = row;
      for (int p = 0; p < pos.length; p++) {
        Pos q = pos[p];
        if (q.kind() == Pos.FREE) {
          if (out == row) {
            out = row.clone();
          }
          out[q.slot()] = t[p];
        } else if (q.kind() == Pos.CHECK && !Values.eq(out[q.slot()], t[p])) {
          continue outer;
        }
      }
      if (!ex.next(plan, idx + 1, end, out, sink)) {
        return false;
      }
    }
    return true;
  }

  @Override
  String describe() {
    return (keyPos.length == 0 ? "CollectionScan " : "CollectionHashJoin ") + clause;
  }
}
