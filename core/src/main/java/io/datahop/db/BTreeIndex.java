package io.datahop.db;

import io.datahop.index.BTree;
import io.datahop.index.Transient;
import io.datahop.store.Address;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link DatomIndex} on the persistent B+tree. Small change sets go through a transient
 * editor; a change set that is large next to the tree (an import) rebuilds the tree bottom-up
 * from the merged sorted stream, which writes each node once and never searches.
 */
final class BTreeIndex implements DatomIndex {
  private final BTree<Datom> tree;

  BTreeIndex(BTree<Datom> tree) {
    this.tree = tree;
  }

  BTree<Datom> tree() {
    return tree;
  }

  @Override
  public Iterator<Datom> slice(Datom lo, Datom hi) {
    return tree.slice(lo, hi).iterator();
  }

  @Override
  public Iterator<Datom> rslice(Datom hi, Datom lo) {
    return tree.rslice(hi, lo).iterator();
  }

  @Override
  public long count(Datom lo, Datom hi) {
    return tree.count(lo, hi);
  }

  @Override
  public long size() {
    return tree.count();
  }

  @Override
  public DatomIndex update(List<Datom> removes, List<Datom> adds) {
    int changes = removes.size() + adds.size();
    if (changes == 0) return this;
    long size = tree.count();
    var order = tree.comparator();
    if (changes > 64 && changes * 4L > size) {
      Iterator<Datom> old = removes.isEmpty()
          ? tree.iterator()
          : Scans.filter(tree.iterator(), new RemoveFilter(removes, order));
      return new BTreeIndex(BTree.build(tree.storage(), order, Scans.merge(old, adds.iterator(), order::compare)));
    }
    Transient<Datom> t = tree.asTransient();
    for (Datom d : removes) t.remove(d);
    for (Datom d : adds) t.insert(d);
    return new BTreeIndex(t.persistent());
  }

  /** Drops the datoms of a sorted removal list from a sorted stream, advancing in step. */
  private static final class RemoveFilter implements java.util.function.Predicate<Datom> {
    private final List<Datom> removes;
    private final java.util.Comparator<? super Datom> order;
    private int i;

    RemoveFilter(List<Datom> removes, java.util.Comparator<? super Datom> order) {
      this.removes = removes;
      this.order = order;
    }

    @Override
    public boolean test(Datom d) {
      while (i < removes.size() && order.compare(removes.get(i), d) < 0) i++;
      return !(i < removes.size() && order.compare(removes.get(i), d) == 0);
    }
  }

  @Override
  public Address flush() {
    return tree.flush();
  }

  @Override
  public long[] depthAndNodes() {
    var r = tree.verify();
    return new long[] {r.depth(), r.nodes(), r.bytes()};
  }
}
