package io.datahop.db;

import io.datahop.index.BTree;
import io.datahop.index.IndexStorage;
import io.datahop.index.Transient;
import io.datahop.store.Address;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link DatomIndex} as a stored base tree plus two small in-memory trees: datoms added since
 * the base was stored and base datoms removed since. This is how a commit avoids rewriting index
 * nodes: it stores only its change set (in the commit record), and the overlays are folded into
 * the base every so often ({@link #materialize}), like Datomic's memory index and indexing job.
 *
 * <p>Invariants: {@code removed ⊆ base}, {@code added ∩ base = ∅}, so the content is
 * {@code base - removed + added} and counts are exact: {@code base.count + added.count -
 * removed.count} over any range, in O(log n).
 */
final class LayeredIndex implements DatomIndex {
  /** Batches at least this large build their overlay with the base's node size. */
  static final int BIG_BATCH = 50_000;

  private final BTree<Datom> base;
  private final BTree<Datom> added;
  private final BTree<Datom> removed;

  LayeredIndex(BTree<Datom> base, BTree<Datom> added, BTree<Datom> removed) {
    this.base = base;
    this.added = added;
    this.removed = removed;
  }

  static LayeredIndex of(BTree<Datom> base, IndexStorage<Datom> overlayStorage) {
    BTree<Datom> empty = BTree.empty(overlayStorage, base.comparator());
    return new LayeredIndex(base, empty, empty);
  }

  BTree<Datom> base() {
    return base;
  }

  @SuppressWarnings("unchecked")
  private Comparator<Datom> order() {
    return (Comparator<Datom>) base.comparator();
  }

  @Override
  public Iterator<Datom> slice(Datom lo, Datom hi) {
    Iterator<Datom> it = base.slice(lo, hi).iterator();
    if (!removed.isEmpty()) it = Scans.filter(it, new Without(removed.slice(lo, hi).iterator(), order()));
    if (!added.isEmpty()) it = Scans.merge(it, added.slice(lo, hi).iterator(), order());
    return it;
  }

  @Override
  public Iterator<Datom> rslice(Datom hi, Datom lo) {
    Comparator<Datom> rev = order().reversed();
    Iterator<Datom> it = base.rslice(hi, lo).iterator();
    if (!removed.isEmpty()) it = Scans.filter(it, new Without(removed.rslice(hi, lo).iterator(), rev));
    if (!added.isEmpty()) it = Scans.merge(it, added.rslice(hi, lo).iterator(), rev);
    return it;
  }

  @Override
  public long count(Datom lo, Datom hi) {
    long n = base.count(lo, hi);
    if (!added.isEmpty()) n += added.count(lo, hi);
    if (!removed.isEmpty()) n -= removed.count(lo, hi);
    return n;
  }

  @Override
  public long size() {
    return base.count() + added.count() - removed.count();
  }

  /** Datoms held in the overlays. */
  long overlaySize() {
    return added.count() + removed.count();
  }

  @Override
  public DatomIndex update(List<Datom> removes, List<Datom> adds) {
    return update(removes, adds, false);
  }

  /**
   * As {@link #update(List, List)}; {@code addsStrict} says the caller has checked that {@code
   * adds} strictly ascend in this index's order, so a bulk build need not compare them again.
   */
  LayeredIndex update(List<Datom> removes, List<Datom> adds, boolean addsStrict) {
    if (removes.isEmpty() && adds.isEmpty()) return this;
    if (removes.isEmpty() && removed.isEmpty() && adds.size() > 1024 && adds.size() * 4L > added.count()) {
      // a large batch of new datoms (an import): build the overlay bottom-up from the merged,
      // sorted streams instead of inserting one by one; adds never repeat stored datoms
      return new LayeredIndex(base, union(added, adds, addsStrict), removed);
    }
    if (removes.isEmpty() && removed.isEmpty()) {
      // only new datoms (most transactions): the sorted batch goes in with one walk of the overlay
      Transient<Datom> a = added.asTransient();
      a.insertSorted(adds);
      return new LayeredIndex(base, a.persistent(), removed);
    }
    Transient<Datom> a = added.asTransient();
    Transient<Datom> r = removed.asTransient();
    for (Datom d : removes) {
      if (!a.remove(d)) r.insert(d);
    }
    for (Datom d : adds) {
      if (!r.remove(d)) a.insert(d);
    }
    return new LayeredIndex(base, a.persistent(), r.persistent());
  }

  /** The same content with the overlays folded into a new base (not stored yet). */
  LayeredIndex materialize() {
    if (added.isEmpty() && removed.isEmpty()) return this;
    long changes = added.count() + removed.count();
    BTree<Datom> next;
    if (removed.isEmpty() && added.storage() == base.storage() && base.count() * 16 < added.count()) {
      // the overlay of a big import already is nearly the whole tree, in stored-node sizes
      Transient<Datom> t = added.asTransient();
      for (Datom d : base) t.insert(d);
      next = t.persistent();
    } else if (changes * 4 > base.count()) {
      next = BTree.build(base.storage(), order(), slice(null, null));
    } else {
      Transient<Datom> t = base.asTransient();
      for (Datom d : removed) t.remove(d);
      for (Datom d : added) t.insert(d);
      next = t.persistent();
    }
    return of(next, removed.storage()); // removed is always on the overlay storage
  }

  /** {@code tree} plus the sorted {@code adds}, built bottom-up; few old keys are inserted instead. */
  private BTree<Datom> union(BTree<Datom> tree, List<Datom> adds, boolean addsStrict) {
    if (tree.count() * 16 < adds.size()) {
      // an import big enough to be folded soon is built with stored-node sizes right away
      BTree<Datom> built = addsStrict
          ? BTree.buildSorted(storageFor(adds.size()), order(), adds)
          : BTree.build(storageFor(adds.size()), order(), adds);
      if (tree.isEmpty()) return built;
      Transient<Datom> t = built.asTransient();
      for (Datom d : tree) t.insert(d);
      return t.persistent();
    }
    return BTree.build(storageFor(tree.count() + adds.size()), order(),
        Scans.merge(tree.iterator(), adds.iterator(), order()));
  }

  private IndexStorage<Datom> storageFor(long size) {
    return size >= BIG_BATCH ? base.storage() : removed.storage();
  }

  @Override
  public Address flush() {
    if (!added.isEmpty() || !removed.isEmpty()) {
      throw new IllegalStateException("materialize before flushing an index with overlays");
    }
    return base.flush();
  }

  /** The base root's address, which must be stored. */
  Address baseAddress() {
    return base.address().orElseGet(base::flush);
  }

  @Override
  public long[] depthAndNodes() {
    var r = base.verify();
    return new long[] {r.depth(), r.nodes(), r.bytes()};
  }

  /** Drops the datoms of a sorted stream of removals from a stream sorted the same way. */
  private static final class Without implements Predicate<Datom> {
    private final Iterator<Datom> removals;
    private final Comparator<Datom> order;
    private Datom next;

    Without(Iterator<Datom> removals, Comparator<Datom> order) {
      this.removals = removals;
      this.order = order;
      this.next = removals.hasNext() ? removals.next() : null;
    }

    @Override
    public boolean test(Datom d) {
      while (next != null && order.compare(next, d) < 0) next = removals.hasNext() ? removals.next() : null;
      return !(next != null && order.compare(next, d) == 0);
    }
  }
}
