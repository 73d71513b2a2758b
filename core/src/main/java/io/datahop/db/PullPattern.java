package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.EdnList;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed pull pattern: wildcard, attributes with options, nested and recursive maps.
 *
 * @param wildcard {@code *} was given
 * @param attrs the explicit attribute specs, in pattern order
 */
record PullPattern(boolean wildcard, List<Spec> attrs) {
  static final Keyword DB_ID = Keyword.of("db/id");
  private static final Keyword AS = Keyword.of("as");
  private static final Keyword LIMIT = Keyword.of("limit");
  private static final Keyword DEFAULT = Keyword.of("default");
  static final int DEFAULT_LIMIT = 1000;

  /**
   * One attribute of a pattern.
   *
   * @param attr the attribute (without the reverse underscore)
   * @param reverse {@code :_attr}
   * @param key the key in the result ({@code :as} or the attribute as written)
   * @param limit max values of a many attribute; -1 for none
   * @param dflt {@code :default} value, or null
   * @param sub nested pattern, or null
   * @param recurse 0 for no recursion, -1 for {@code ...}, n for depth n
   */
  record Spec(Keyword attr, boolean reverse, Object key, int limit, Object dflt, PullPattern sub, int recurse) {}

  static PullPattern parse(Object pattern) {
    Object p = pattern instanceof String s ? Edn.read(s) : pattern;
    if (!(p instanceof List<?> l)) throw bad("a pull pattern is a vector, got " + TxOp.describe(p), p);
    boolean wildcard = false;
    List<Spec> specs = new ArrayList<>();
    for (Object el : l) {
      if (isStar(el)) {
        wildcard = true;
      } else if (el instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> en : m.entrySet()) {
          Spec base = attrSpec(en.getKey());
          Object sub = en.getValue();
          if (sub instanceof Symbol sym && sym.name().equals("...")) {
            specs.add(new Spec(base.attr, base.reverse, base.key, base.limit, base.dflt, null, -1));
          } else if (sub instanceof Number n) {
            specs.add(new Spec(base.attr, base.reverse, base.key, base.limit, base.dflt, null, Math.max(1, n.intValue())));
          } else if (sub instanceof String s && s.equals("...")) {
            specs.add(new Spec(base.attr, base.reverse, base.key, base.limit, base.dflt, null, -1));
          } else {
            specs.add(new Spec(base.attr, base.reverse, base.key, base.limit, base.dflt, parse(sub), 0));
          }
        }
      } else {
        specs.add(attrSpec(el));
      }
    }
    // as Datomic (:pull/duplicate-attribute): one spec per attribute and direction, else which
    // options win would depend on the order (:db/id, which has no options that matter, may repeat)
    java.util.Set<List<Object>> seen = new java.util.HashSet<>();
    for (Spec s : specs) {
      if (s.attr() != DB_ID && !seen.add(List.of(s.attr(), s.reverse()))) {
        throw new DatahopException.Incorrect("pull/duplicate-attribute",
            "the pull pattern names " + (s.reverse() ? ":" + s.attr().namespace() + "/_" + s.attr().name() : s.attr())
                + " more than once: " + TxOp.describe(p),
            Map.of("attribute", s.attr().toString(), "pattern", TxOp.describe(p)), null);
      }
    }
    return new PullPattern(wildcard, specs);
  }

  /** The pattern shows entity ids: {@code *} or a {@code :db/id} spec. */
  boolean showsIds() {
    if (wildcard) return true;
    for (Spec s : attrs) if (s.attr() == DB_ID) return true;
    return false;
  }

  /** Some spec of this pattern (not of a nested one) recurses. */
  boolean recursive() {
    for (Spec s : attrs) if (s.recurse() != 0) return true;
    return false;
  }

  private static boolean isStar(Object el) {
    return (el instanceof Symbol s && s.name().equals("*")) || "*".equals(el)
        || (el instanceof Keyword k && k.text().equals("*"));
  }

  private static Spec attrSpec(Object el) {
    if (el instanceof String str && !str.startsWith(":")) {
      // Datomic takes ":ns/name" strings as attributes but refuses others
      throw bad("attribute identifier " + str + " does not start with a colon", el);
    }
    if (el instanceof Keyword || el instanceof String) {
      Keyword k = TxInput.keyword(el);
      return simple(k, k);
    }
    if (el instanceof List<?> l && !l.isEmpty()) {
      Object head = l.get(0);
      if (l instanceof EdnList && head instanceof Symbol sym && l.size() == 3) { // (limit :a 10), (default :a v)
        Spec s = attrSpec(l.get(1));
        if (sym.name().equals("limit")) return new Spec(s.attr, s.reverse, s.key, limitOf(l.get(2)), s.dflt, null, 0);
        if (sym.name().equals("default")) return new Spec(s.attr, s.reverse, s.key, s.limit, l.get(2), null, 0);
      }
      Keyword k = TxInput.keyword(head);
      if (k == null || l.size() % 2 != 1) throw bad("attribute with options must be [:attr :option value …], got " + TxOp.describe(l), l);
      Spec s = simple(k, k);
      Object key = s.key;
      int limit = s.limit;
      Object dflt = null;
      for (int i = 1; i < l.size(); i += 2) {
        Keyword opt = TxInput.keyword(l.get(i));
        Object v = l.get(i + 1);
        if (opt == AS) key = v;
        else if (opt == LIMIT) limit = limitOf(v);
        else if (opt == DEFAULT) dflt = v;
        else throw bad("unknown pull option " + TxOp.describe(l.get(i)) + " in " + TxOp.describe(l) + " (use :as, :limit or :default)", l);
      }
      return new Spec(s.attr, s.reverse, key, limit, dflt, null, 0);
    }
    throw bad("not a pull attribute: " + TxOp.describe(el), el);
  }

  private static int limitOf(Object v) {
    if (v == null) return -1;
    if (v instanceof Number n && n.intValue() >= 0) return n.intValue();
    throw bad(":limit must be a non-negative number or nil, got " + v, v);
  }

  private static Spec simple(Keyword written, Keyword key) {
    boolean reverse = written.name().startsWith("_");
    Keyword attr = reverse ? Keyword.of(written.namespace(), written.name().substring(1)) : written;
    return new Spec(attr, reverse, key, DEFAULT_LIMIT, null, null, 0);
  }

  private static DatahopException bad(String msg, Object where) {
    return new DatahopException.Incorrect("pull/bad-pattern", msg, Map.of("pattern", TxOp.describe(where)), null);
  }
}
