package io.datahop.query.exec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Destructures a value into row slots following a binding form (scalar, blank, tuple,
 * collection, relation). A slot that is already bound is compared instead of assigned.
 */
sealed interface Binder {
  /** Emits every row that binding {@code value} onto {@code row} yields. */
  void bind(Object value, Object[] row, List<Object[]> out);

  record Scalar(int slot, boolean alreadyBound) implements Binder {
    @Override
    public void bind(Object value, Object[] row, List<Object[]> out) {
      if (value == null) {
        return;
      }
      if (alreadyBound || row[slot] != null) {
        if (Values.eq(row[slot], value)) {
          out.add(row);
        }
        return;
      }
      Object[] r = row.clone();
      r[slot] = value;
      out.add(r);
    }
  }

  record Blank() implements Binder {
    @Override
    public void bind(Object value, Object[] row, List<Object[]> out) {
      if (value != null) {
        out.add(row);
      }
    }
  }

  record Tuple(Binder[] items) implements Binder {
    @Override
    public void bind(Object value, Object[] row, List<Object[]> out) {
      List<?> l = seq(value);
      if (l == null || l.size() < items.length) {
        if (l != null) {
          throw new IllegalArgumentException(
              "cannot bind a tuple of " + items.length + " from " + Values.str(value));
        }
        return;
      }
      List<Object[]> cur = java.util.Collections.singletonList(row);
      for (int i = 0; i < items.length; i++) {
        List<Object[]> next = new ArrayList<>();
        for (Object[] r : cur) {
          items[i].bind(l.get(i), r, next);
        }
        cur = next;
        if (cur.isEmpty()) {
          return;
        }
      }
      out.addAll(cur);
    }
  }

  record Coll(Binder item) implements Binder {
    @Override
    public void bind(Object value, Object[] row, List<Object[]> out) {
      if (value == null) {
        return;
      }
      Collection<?> c = value instanceof Collection<?> col ? col : seq(value);
      if (c == null) {
        throw new IllegalArgumentException("cannot bind a collection from " + Values.str(value));
      }
      for (Object v : c) {
        item.bind(Values.normalize(v), row, out);
      }
    }
  }

  static List<?> seq(Object v) {
    return switch (v) {
      case null -> null;
      case List<?> l -> l;
      case Object[] a -> java.util.Arrays.asList(a);
      case Collection<?> c -> new ArrayList<>(c);
      case Map.Entry<?, ?> e -> List.of(e.getKey(), e.getValue());
      default -> null;
    };
  }
}
