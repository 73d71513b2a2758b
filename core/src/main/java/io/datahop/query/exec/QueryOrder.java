package io.datahop.query.exec;

import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of {@code <}, {@code >}, {@code compare} and the {@code min}/{@code max}/{@code
 * median} aggregates, as Datomic's query functions order values (checked by bench's
 * DatomicDifferentialTest): nil, then numbers by value across types, then sequential
 * collections (element by element, a prefix first), maps, sets, keywords and symbols (as
 * Clojure: no namespace first), booleans, strings, instants and UUIDs.
 *
 * <p>This is not the index order ({@link Values#compare}): the stored order of keywords and
 * tuples must not change under existing files, so only the query functions use this one.
 */
final class QueryOrder {
  private QueryOrder() {}

  static final Comparator<Object> ORDER = QueryOrder::compare;

  private static int rank(Object o) {
    return switch (o) {
      case null -> 0;
      case Number n -> 1;
      case List<?> l -> 2;
      case Map<?, ?> m -> 3;
      case Set<?> s -> 4;
      case Keyword k -> 5;
      case Symbol s -> 6;
      case Boolean b -> 7;
      case String s -> 8;
      case java.time.Instant i -> 9;
      case java.util.Date d -> 9;
      case java.util.UUID u -> 10;
      default -> 11;
    };
  }

  static int compare(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return switch (ra) {
      case 0 -> 0;
      case 2 -> lexicographic((List<?>) a, (List<?>) b);
      case 5 -> named(((Keyword) a).namespace(), ((Keyword) a).name(),
          ((Keyword) b).namespace(), ((Keyword) b).name());
      case 6 -> named(((Symbol) a).namespace(), ((Symbol) a).name(),
          ((Symbol) b).namespace(), ((Symbol) b).name());
      default -> Values.compare(a, b);
    };
  }

  private static int lexicographic(List<?> x, List<?> y) {
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      int c = compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  /** Clojure's keyword and symbol order: no namespace sorts first, then namespace, then name. */
  private static int named(String nsA, String nameA, String nsB, String nameB) {
    if (!java.util.Objects.equals(nsA, nsB)) {
      if (nsA == null) {
        return -1;
      }
      if (nsB == null) {
        return 1;
      }
      return nsA.compareTo(nsB);
    }
    return nameA.compareTo(nameB);
  }
}
