package io.datahop.index;

import io.datahop.store.Address;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A persistent (copy-on-write) B+tree set of keys, ordered by a comparator, whose nodes live in a
 * {@link io.datahop.store.Store} and are loaded lazily through the {@link IndexStorage}'s cache.
 *
 * <p>A {@code BTree} is an immutable value: {@link #insert} and {@link #remove} return a new tree
 * that shares every untouched subtree with this one, so keeping old versions is cheap and safe
 * from any thread. Keys are distinct under the comparator; inserting a key that is present
 * returns the same tree.
 *
 * <h2>Node states</h2>
 *
 * <table>
 *   <caption>the state of a node, as seen from its parent's child slot</caption>
 *   <tr><th>state</th><th>has address</th><th>in memory</th><th>how it gets there</th><th>next</th></tr>
 *   <tr><td>dirty</td><td>no</td><td>yes, pinned by its parent (or the tree)</td>
 *       <td>created by insert/remove/build, or by a {@link Transient}</td>
 *       <td>stored by {@link #flush} (children first), which also caches it</td></tr>
 *   <tr><td>stored</td><td>yes</td><td>no; the slot holds only the address</td>
 *       <td>{@link #load}, a decoded branch, or a copied branch dropping its pin on a stored child</td>
 *       <td>loaded on first access</td></tr>
 *   <tr><td>loaded</td><td>yes</td><td>yes, in the storage's cache (may be evicted → stored)</td>
 *       <td>read and decoded on a cache miss, or put in the cache by the flush that wrote it</td>
 *       <td>evicted under memory pressure; never changes</td></tr>
 * </table>
 *
 * <p>A node owned by a live {@link Transient} is dirty and may change in place; every other node
 * never changes. Branches keep per child its max key, its subtree key count and its address (once
 * stored), so {@link #count(Object, Object)} is O(log n) and a point lookup reads exactly {@link
 * #depth()} nodes.
 *
 * <h2>Bounds and comparators</h2>
 *
 * <p>Range bounds are inclusive; {@code null} means unbounded. The range methods that take a
 * {@code Comparator} search with it instead of the tree's: it must be <em>consistent with the
 * tree order</em> (if {@code a <= b} in tree order then {@code c(a, x) <= c(b, x)} for every probe
 * {@code x}), as a comparator that treats missing components of a probe as wildcards is. A key
 * {@code k} is then in {@code [from, to]} when {@code c(k, from) >= 0 && c(k, to) <= 0}.
 *
 * @param <K> the key type
 */
public final class BTree<K> implements Iterable<K> {
  private final IndexStorage<K> storage;
  private final Comparator<Object> cmp;
  /** The root {@link Node}, or the {@link Address} of a root not read yet. */
  private final Object root;

  @SuppressWarnings("unchecked")
  BTree(IndexStorage<K> storage, Comparator<? super K> cmp, Object root) {
    this.storage = storage;
    this.cmp = (Comparator<Object>) cmp;
    this.root = root;
  }

  /** An empty tree. */
  public static <K> BTree<K> empty(IndexStorage<K> storage, Comparator<? super K> comparator) {
    return new BTree<>(
        Objects.requireNonNull(storage, "storage"),
        Objects.requireNonNull(comparator, "comparator"),
        Leaf.empty());
  }

  /**
   * The tree whose root node is stored at {@code root} (as returned by {@link #flush}). Reads
   * nothing: the root is loaded by the first operation that needs it. A missing or damaged node
   * is reported then, as a {@link io.datahop.DatahopException.Fault} naming its address.
   */
  public static <K> BTree<K> load(
      IndexStorage<K> storage, Comparator<? super K> comparator, Address root) {
    return new BTree<>(
        Objects.requireNonNull(storage, "storage"),
        Objects.requireNonNull(comparator, "comparator"),
        Objects.requireNonNull(root, "root"));
  }

  /**
   * Builds a tree from keys already sorted ascending by {@code comparator} and distinct, filling
   * nodes to about 7/8 of {@link IndexStorage#nodeSize()} so later inserts rarely split. Much
   * faster than inserting one by one: no search and no copying.
   *
   * @throws io.datahop.DatahopException.Incorrect if the keys are not strictly ascending
   */
  public static <K> BTree<K> build(
      IndexStorage<K> storage, Comparator<? super K> comparator, Iterable<? extends K> sorted) {
    return build(storage, comparator, sorted.iterator());
  }

  /** As {@link #build(IndexStorage, Comparator, Iterable)}, consuming an iterator. */
  @SuppressWarnings("unchecked")
  public static <K> BTree<K> build(
      IndexStorage<K> storage, Comparator<? super K> comparator, Iterator<? extends K> sorted) {
    Node root = BulkBuilder.build(sorted, (Comparator<Object>) comparator, storage.nodeSize());
    return new BTree<>(storage, comparator, root);
  }

  /**
   * As {@link #build(IndexStorage, Comparator, Iterable)}, for keys the caller has already
   * checked to be strictly ascending and non-null: they are not compared again (only when
   * assertions are enabled), and leaves are cut by array copies. Unsorted input gives a broken
   * tree, so use this only right after sorting or checking the keys.
   */
  @SuppressWarnings("unchecked")
  public static <K> BTree<K> buildSorted(
      IndexStorage<K> storage, Comparator<? super K> comparator, java.util.List<? extends K> sorted) {
    Node root = BulkBuilder.buildSorted(sorted.toArray(), (Comparator<Object>) comparator, storage.nodeSize());
    return new BTree<>(storage, comparator, root);
  }

  /** The storage holding this tree's nodes. */
  public IndexStorage<K> storage() {
    return storage;
  }

  /** The tree's order. */
  @SuppressWarnings("unchecked")
  public Comparator<? super K> comparator() {
    return (Comparator<? super K>) (Comparator<?>) cmp;
  }

  Node rootNode() {
    return root instanceof Node n ? n : storage.load((Address) root);
  }

  /** This tree with {@code key} added; this tree itself when the key is present. */
  public BTree<K> insert(K key) {
    Objects.requireNonNull(key, "key");
    Node n = new Mutation(storage, cmp, new Edit(false)).insert(rootNode(), key);
    return n == null ? this : new BTree<>(storage, cmp, n);
  }

  /** This tree without {@code key}; this tree itself when the key is absent. */
  public BTree<K> remove(K key) {
    Objects.requireNonNull(key, "key");
    Node n = new Mutation(storage, cmp, new Edit(false)).remove(rootNode(), key);
    return n == null ? this : new BTree<>(storage, cmp, n);
  }

  /**
   * A mutable batch editor starting from this tree: many inserts and removes change its own new
   * nodes in place instead of copying a path each time. This tree is not changed.
   */
  public Transient<K> asTransient() {
    return new Transient<>(storage, cmp, rootNode());
  }

  /** True when a key equal to {@code key} under the tree's comparator is present. */
  public boolean contains(K key) {
    return find(key, cmp) != null;
  }

  /**
   * The first key {@code k} (in tree order) with {@code c(k, probe) == 0}, or null; with a prefix
   * comparator this finds the first key matching a partial probe.
   */
  public K first(Object probe, Comparator<? super K> c) {
    @SuppressWarnings("unchecked")
    Comparator<Object> co = (Comparator<Object>) c;
    Iterator<K> it = new AscendingCursor<>(storage, rootNode(), probe, probe, co);
    return it.hasNext() ? it.next() : null;
  }

  @SuppressWarnings("unchecked")
  private K find(Object key, Comparator<Object> c) {
    Node n = rootNode();
    while (n instanceof Branch b) {
      int i = b.lowerBound(key, c, false);
      if (i == b.len()) {
        return null;
      }
      n = resolveChild(b, i);
    }
    Leaf leaf = (Leaf) n;
    int i = leaf.search(key, c);
    return i >= 0 ? (K) leaf.key(i) : null;
  }

  private Node resolveChild(Branch b, int i) {
    Object s = b.slot(i);
    return s instanceof Node n ? n : storage.load((Address) s);
  }

  /** Number of keys. Reads the root node if it is not in memory, nothing else. */
  public long count() {
    return rootNode().count();
  }

  /** True when the tree has no keys. */
  public boolean isEmpty() {
    return count() == 0;
  }

  /** Number of keys in {@code [from, to]} (null = unbounded); O(log n) nodes read. */
  public long count(K from, K to) {
    return count(from, to, cmp);
  }

  /** Number of keys {@code k} with {@code c(k, from) >= 0 && c(k, to) <= 0}; O(log n). */
  @SuppressWarnings("unchecked")
  public long count(Object from, Object to, Comparator<? super K> c) {
    Comparator<Object> co = (Comparator<Object>) c;
    Node r = rootNode();
    long hi = to == null ? r.count() : rank(r, to, co, true);
    long lo = from == null ? 0 : rank(r, from, co, false);
    return Math.max(0, hi - lo);
  }

  /** Number of keys {@code k} with {@code c(k, x) < 0} ({@code <= 0} when {@code strict}). */
  private long rank(Node n, Object x, Comparator<Object> c, boolean strict) {
    long acc = 0;
    while (n instanceof Branch b) {
      int i = b.lowerBound(x, c, strict);
      acc += b.countBefore(i);
      if (i == b.len()) {
        return acc;
      }
      n = resolveChild(b, i);
    }
    Leaf leaf = (Leaf) n;
    return acc + Bounds.lower(leaf.keys(), leaf.len(), x, c, strict);
  }

  /** All keys, ascending. */
  @Override
  public Iterator<K> iterator() {
    return new AscendingCursor<>(storage, rootNode(), null, null, cmp);
  }

  /** Keys in {@code [from, to]} ascending; null bounds are open. Lazy: runs on each iteration. */
  public Iterable<K> slice(K from, K to) {
    return slice(from, to, cmp);
  }

  /** Keys {@code k} with {@code c(k, from) >= 0 && c(k, to) <= 0}, ascending. */
  @SuppressWarnings("unchecked")
  public Iterable<K> slice(Object from, Object to, Comparator<? super K> c) {
    Comparator<Object> co = (Comparator<Object>) Objects.requireNonNull(c, "comparator");
    return () -> new AscendingCursor<>(storage, rootNode(), from, to, co);
  }

  /** Keys from {@code from} to the end, ascending. */
  public Iterable<K> seek(K from) {
    return slice(from, null, cmp);
  }

  /**
   * Keys in {@code [to, from]} descending, starting at {@code from} (the greater bound, as in
   * persistent-sorted-set's {@code rslice}); null bounds are open.
   */
  public Iterable<K> rslice(K from, K to) {
    return rslice(from, to, cmp);
  }

  /** Keys {@code k} with {@code c(k, from) <= 0 && c(k, to) >= 0}, descending. */
  @SuppressWarnings("unchecked")
  public Iterable<K> rslice(Object from, Object to, Comparator<? super K> c) {
    Comparator<Object> co = (Comparator<Object>) Objects.requireNonNull(c, "comparator");
    return () -> new DescendingCursor<>(storage, rootNode(), from, to, co);
  }

  /** Keys from {@code from} down to the first key, descending. */
  public Iterable<K> rseek(K from) {
    return rslice(from, null, cmp);
  }

  /** Number of levels: 1 for a tree that is one leaf. Reads the root if needed. */
  public int depth() {
    return rootNode().level() + 1;
  }

  /**
   * Writes every dirty node to the store, children before parents, and returns the root's
   * address. Writes nothing when the tree is already stored. After a flush this tree and every
   * tree sharing its nodes see them as stored; {@link #load} of the address gives an equal tree
   * that pins nothing in memory.
   */
  public Address flush() {
    if (root instanceof Address a) {
      return a;
    }
    Node r = (Node) root;
    if (r instanceof Branch b && r.address() == null && b.count() >= PARALLEL_FLUSH_KEYS && Fork.PARALLEL) {
      flushHalf(b);
    }
    return flush(r, new NodeOutput(16 * 1024));
  }

  /** Trees with at least this many keys encode, hash and store their nodes on two threads. */
  static final long PARALLEL_FLUSH_KEYS = 100_000;

  /**
   * Stores the root's children on this thread and a second one, each taking the next child not
   * taken yet: encoding and hashing a big import's nodes is most of its commit, and subtrees
   * differ in cost (string values encode and hash more bytes than longs), so a fixed split into
   * halves leaves one thread idle at the end. Children are distinct subtrees, and the storage
   * is thread-safe.
   *
   * <p>The nodes stored here stay out of the node cache: a bulk load would flood it, evicting
   * what readers use, and nothing needs them from it while this tree holds them; a later version
   * of the tree that refers to them by address loads what it touches. (Caching each node as it
   * was written also cost a 1M-datom import ~10% of its time.)
   */
  private void flushHalf(Branch b) {
    AtomicInteger next = new AtomicInteger();
    Fork<Void> helper = Fork.start(true, () -> {
      flushShare(b, next);
      return null;
    });
    try {
      flushShare(b, next);
    } finally {
      helper.join();
    }
  }

  private void flushShare(Branch b, AtomicInteger next) {
    NodeOutput buf = new NodeOutput(16 * 1024);
    int n = b.len();
    try {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        if (b.slot(i) instanceof Node child) {
          flush(child, buf, false);
        }
      }
    } catch (RuntimeException | Error e) {
      next.set(n); // the other thread stops at its next child; the root is not written
      throw e;
    }
  }

  private Address flush(Node n, NodeOutput buf) {
    return flush(n, buf, true);
  }

  /** Stores {@code n} and its dirty descendants, putting them in the node cache when {@code cache}. */
  private Address flush(Node n, NodeOutput buf, boolean cache) {
    Address a = n.address();
    if (a != null) {
      return a;
    }
    if (n instanceof Branch b) {
      for (int i = 0; i < b.len(); i++) {
        if (b.slot(i) instanceof Node child && child.address() == null) {
          flush(child, buf, cache);
        }
      }
    }
    return cache ? storage.write(n, buf) : storage.writeUncached(n, buf);
  }

  /** The root's address when the tree is stored (flushed or loaded), else empty. */
  public Optional<Address> address() {
    return root instanceof Address a ? Optional.of(a) : Optional.ofNullable(((Node) root).address());
  }

  /**
   * Walks every reachable node, loading each stored one afresh from the store (which verifies its
   * hash), and checks order, fill bounds, equal leaf depth, subtree counts and max keys.
   *
   * @return sizes of the tree
   * @throws io.datahop.DatahopException.Fault naming the first damaged node
   */
  public VerifyReport verify() {
    return new Verifier(storage, cmp).verify(root);
  }

  /** Calls {@code sink} with the address of every reachable stored node (each once per path). */
  public void forEachAddress(Consumer<Address> sink) {
    walkAddresses(
        a -> {
          sink.accept(a);
          return true;
        });
  }

  /**
   * Visits the address of every reachable stored node, parents before children; when {@code
   * enter} returns false the node's subtree is skipped. Only branches are read, never leaves, so
   * a garbage collector walking many roots can skip subtrees it has already seen.
   */
  public void walkAddresses(Predicate<Address> enter) {
    walk(root, enter);
  }

  private void walk(Object slot, Predicate<Address> enter) {
    Node n = slot instanceof Node node ? node : null;
    Address a = n != null ? n.address() : (Address) slot;
    if (a != null && !enter.test(a)) {
      return;
    }
    if (n == null) {
      n = storage.load(a);
    }
    if (n instanceof Branch b) {
      for (int i = 0; i < b.len(); i++) {
        Object child = b.slot(i);
        if (child instanceof Address ca && b.level() == 1) {
          enter.test(ca); // a stored leaf: nothing below it, no need to read it
        } else {
          walk(child, enter);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BTree" + address().map(a -> "[" + a + "]").orElse("[dirty]");
  }
}
