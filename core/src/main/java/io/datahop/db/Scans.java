package io.datahop.db;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** Iterator combinators for the filtered views of a database (as-of, since, history). */
final class Scans {
  private Scans() {}

  /** A lookahead iterator base: subclasses compute the next element or null when done. */
  abstract static class Lookahead implements Iterator<Datom> {
    private Datom next;
    private boolean ready;

    protected abstract Datom compute();

    @Override
    public final boolean hasNext() {
      if (!ready) {
        next = compute();
        ready = true;
      }
      return next != null;
    }

    @Override
    public final Datom next() {
      if (!hasNext()) throw new NoSuchElementException();
      ready = false;
      return next;
    }
  }

  static Iterator<Datom> filter(Iterator<Datom> in, Predicate<Datom> keep) {
    return new Lookahead() {
      @Override
      protected Datom compute() {
        while (in.hasNext()) {
          Datom d = in.next();
          if (keep.test(d)) return d;
        }
        return null;
      }
    };
  }

  /** Merges two iterators sorted by {@code order}. */
  static Iterator<Datom> merge(Iterator<Datom> a, Iterator<Datom> b, Comparator<Datom> order) {
    return new Lookahead() {
      Datom x = a.hasNext() ? a.next() : null;
      Datom y = b.hasNext() ? b.next() : null;

      @Override
      protected Datom compute() {
        if (x == null && y == null) return null;
        Datom out;
        if (y == null || (x != null && order.compare(x, y) <= 0)) {
          out = x;
          x = a.hasNext() ? a.next() : null;
        } else {
          out = y;
          y = b.hasNext() ? b.next() : null;
        }
        return out;
      }
    };
  }

  /**
   * From a history index slice (assertions and retractions, grouped by (e, a, v) with tx
   * ascending inside each group — true in every index order, since tx sorts last), yields the
   * assertions still true at {@code maxTx}: those whose group's last op at or before
   * {@code maxTx} is an assertion.
   */
  static Iterator<Datom> asOfHistory(Iterator<Datom> hist, long maxTx) {
    return new Lookahead() {
      Datom pending = hist.hasNext() ? hist.next() : null;

      @Override
      protected Datom compute() {
        while (pending != null) {
          Datom first = pending;
          Datom lastVisible = null;
          Datom d = first;
          while (true) {
            if (d.tx() <= maxTx) lastVisible = d;
            if (!hist.hasNext()) {
              pending = null;
              break;
            }
            Datom n = hist.next();
            if (n.e() != first.e() || n.a() != first.a() || !Values.equal(n.v(), first.v())) {
              pending = n;
              break;
            }
            d = n;
          }
          if (lastVisible != null && lastVisible.added()) return lastVisible;
        }
        return null;
      }
    };
  }
}
