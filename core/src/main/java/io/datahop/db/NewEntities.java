package io.datahop.db;

import io.datahop.index.Fork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The fast path of a transaction made only of entity maps that create new entities — the shape
 * of a bulk import. It produces exactly what {@link Transactor}'s general path would (the same
 * datoms in the same order, the same ids and tempids) in one pass without per-op objects, or
 * gives up ({@link #plan} returns null) at the first form it cannot prove new and valid; the
 * general path then runs from the start and reports any error as usual.
 *
 * <p>Implementation notes. A form qualifies when it is a map whose {@code :db/id} is absent or a
 * string tempid (or a Datomic file's {@code #db/id [:db.part/user …]}) used by no other form, whose keys name installed, non-system, non-ref,
 * non-tuple attributes that feed no composite tuple, each at most once, and whose values fit
 * their types (a collection only for a cardinality-many attribute, never empty). Such an entity
 * cannot upsert or conflict unless a {@code :db/unique} value repeats inside the transaction or
 * already exists in the database, so each unique attribute's values are collected and checked
 * (an AVET read only when the attribute has datoms). Then each form is a fresh entity: ids are
 * allocated in form order, which is the order the general path allocates them in, and the datoms
 * are those of its slots in first-seen order with repeated values of a many attribute dropped as
 * redundant.
 *
 * <p>Form {@code i} gets id {@code next + i} whatever the other forms hold, so a big transaction
 * is planned in two halves on two threads ({@link PlanHalf}); the halves then only have to agree
 * that no tempid and no unique value appears in both, and their datoms and tempids are joined
 * half one first — exactly the one-thread result.
 */
final class NewEntities {
  /**
   * What the fast path decided: the datoms in {@code datoms[0, size)} with slot 0 left free for
   * the tx entity's datom (so the transaction's list needs no copy), tempids by name (a map the
   * caller may add to), next id.
   */
  record Plan(Datom[] datoms, int size, Map<Object, Long> tempids, long nextUser) {
    /** The transaction's asserted datoms: {@code tx} first, then the planned ones; no copy when the array is full. */
    List<Datom> withTx(Datom tx) {
      datoms[0] = tx;
      return Arrays.asList(size == datoms.length ? datoms : Arrays.copyOf(datoms, size));
    }
  }

  /** Transactions of at least this many forms are planned on two threads (tests lower it). */
  static int splitForms = 50_000;

  private NewEntities() {}

  /** The plan for {@code forms}, or null when the general path must run. */
  static Plan plan(Snapshot db, List<?> forms, long txEid) {
    if (db.schemaOnRead() || forms.isEmpty()) return null;
    if (!(forms instanceof RandomAccess)) forms = new ArrayList<>(forms);
    List<?> all = forms;
    int n = forms.size();
    long next = db.nextUserId();
    PlanHalf.Stop stop = new PlanHalf.Stop();
    if (n < Math.max(2, splitForms)) {
      PlanHalf one = new PlanHalf(db, txEid, all, 0, n, next, stop, 1, n).run();
      return one.failed() ? null : new Plan(one.out, one.size, tempids(one.tempids(), null), next + n);
    }
    int mid = n >>> 1;
    Fork<PlanHalf> second = Fork.start(true, () -> new PlanHalf(db, txEid, all, mid, n, next, stop, 0, n - mid).run());
    // the first half's array is sized for both: the second's datoms are appended to it
    PlanHalf first = new PlanHalf(db, txEid, all, 0, mid, next, stop, 1, n).run();
    // a failed first half is the one-thread answer: null, even if a later form would have thrown
    // (the second half stops at its next form; it is not waited for)
    if (first.failed()) return null;
    PlanHalf last = second.join();
    if (last.failed() || !disjoint(first, last)) return null;
    Datom[] out = first.out;
    int size = first.size + last.size;
    if (out.length < size) out = Arrays.copyOf(out, size);
    System.arraycopy(last.out, 0, out, first.size, last.size);
    return new Plan(out, size, tempids(first.tempids(), last.tempids()), next + n);
  }

  /** The halves' tempids in form order, in a map of the plan's own. */
  private static Map<Object, Long> tempids(LinkedHashMap<Object, Long> a, LinkedHashMap<Object, Long> b) {
    if (a == null) return b == null ? new LinkedHashMap<>() : b;
    if (b != null) a.putAll(b);
    return a;
  }

  /** True when no tempid and no unique value is used by both halves (each set probed from the smaller side). */
  private static boolean disjoint(PlanHalf a, PlanHalf b) {
    if (a.tempids() != null && b.tempids() != null && !disjoint(a.tempids().keySet(), b.tempids().keySet())) {
      return false;
    }
    for (PlanHalf.Target ta : a.uniqueTargets()) {
      ClaimSet other = b.claimed(ta.id);
      if (other != null && ta.claimed.intersects(other)) return false;
    }
    return true;
  }

  private static boolean disjoint(Set<?> x, Set<?> y) {
    Set<?> small = x.size() <= y.size() ? x : y;
    Set<?> large = small == x ? y : x;
    for (Object o : small) if (large.contains(o)) return false;
    return true;
  }
}
