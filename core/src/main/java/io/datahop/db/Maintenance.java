package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.index.BTree;
import io.datahop.index.VerifyReport;
import io.datahop.store.Address;
import io.datahop.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Store-level operations on a database: statistics, verification of every reachable blob, and
 * garbage collection. Results are EDN-ready maps (keyword keys), as the command line prints them.
 */
public final class Maintenance {
  private Maintenance() {}

  private static final String[] INDEX_NAMES = {
    "eavt", "aevt", "avet", "vaet", "history-eavt", "history-aevt", "history-avet", "history-vaet"
  };

  private static Keyword k(String s) {
    return Keyword.of(s);
  }

  private static ConnectionImpl impl(Connection c) {
    if (c instanceof ConnectionImpl ci) return ci;
    throw new DatahopException.Incorrect("db/foreign-connection", "not a datahop connection: " + c.getClass().getName());
  }

  /** Datom count, per index depth, node count and bytes, overlay sizes, and blobs in the store. */
  public static Map<Keyword, Object> stats(Connection conn) {
    ConnectionImpl c = impl(conn);
    Snapshot s = ((DbImpl) c.db()).snapshot();
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(k("basis-t"), s.basisT());
    out.put(k("datoms"), s.current().size());
    out.put(k("history-datoms"), s.history().size());
    out.put(k("attributes"), s.schema().attributes().size());
    out.put(k("tail-txs"), (long) s.tailTxs());
    long bytes = 0;
    LayeredIndex[] all = indexes(s);
    Map<Keyword, Object> per = new LinkedHashMap<>();
    for (int i = 0; i < all.length; i++) {
      VerifyReport r = all[i].base().verify();
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(k("depth"), (long) r.depth());
      m.put(k("nodes"), r.nodes());
      m.put(k("bytes"), r.bytes());
      m.put(k("stored-datoms"), r.keys());
      m.put(k("overlay-datoms"), all[i].overlaySize());
      per.put(k(INDEX_NAMES[i]), m);
      bytes += r.bytes();
    }
    out.put(k("indexes"), per);
    out.put(k("index-bytes"), bytes);
    long[] blobs = {0};
    c.store().forEachAddress(a -> blobs[0]++);
    out.put(k("blobs"), blobs[0]);
    return out;
  }

  private static LayeredIndex[] indexes(Snapshot s) {
    Indexes c = s.current();
    Indexes h = s.history();
    return new LayeredIndex[] {c.eavt(), c.aevt(), c.avet(), c.vaet(), h.eavt(), h.aevt(), h.avet(), h.vaet()};
  }

  /** Every commit reachable from a head, newest first (each once). */
  private static List<Address> commits(ConnectionImpl c, List<String> problems) {
    Store store = c.store();
    List<Address> out = new ArrayList<>();
    Set<Address> seen = new HashSet<>();
    ArrayDeque<Address> todo = new ArrayDeque<>();
    for (String h : store.heads()) store.head(h).ifPresent(todo::add);
    while (!todo.isEmpty()) {
      Address a = todo.pop();
      if (!seen.add(a)) continue;
      out.add(a);
      try {
        CommitRecord r = c.commits().record(a);
        if (r.parent() != null) todo.push(r.parent());
      } catch (DatahopException e) {
        problems.add("commit " + a.hex() + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Reads every commit reachable from every head and every node of every stored index tree they
   * reach (the store checks each blob against its hash; the tree walk checks key order, counts
   * and depth), then opens the head (replaying its change sets). {@code :ok} is false on damage
   * and {@code :problems} says where.
   */
  public static Map<Keyword, Object> verify(Connection conn) {
    ConnectionImpl c = impl(conn);
    List<String> problems = new ArrayList<>();
    List<Address> commits = commits(c, problems);
    Set<Address> rootsDone = new HashSet<>();
    long nodes = 0, keys = 0, bytes = 0, bases = 0;
    for (Address a : commits) {
      CommitRecord r;
      try {
        r = c.commits().record(a);
      } catch (DatahopException e) {
        continue; // reported by commits()
      }
      if (r.base() != null) continue;
      bases++;
      for (int i = 0; i < 8; i++) {
        Address root = r.roots()[i];
        if (root == null || !rootsDone.add(root)) continue;
        try {
          VerifyReport rep = BTree.load(c.commits().ctx().storage(), DatomOrder.of(IndexType.values()[i % 4]), root).verify();
          nodes += rep.nodes();
          keys += rep.keys();
          bytes += rep.bytes();
        } catch (DatahopException e) {
          problems.add(INDEX_NAMES[i] + " of commit " + a.hex() + ": " + e.getMessage());
        }
      }
    }
    try {
      c.db().datoms(IndexType.EAVT).iterator().hasNext();
    } catch (DatahopException e) {
      problems.add("opening the head: " + e.getMessage());
    }
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(k("ok"), problems.isEmpty());
    out.put(k("commits"), (long) commits.size());
    out.put(k("bases"), bases);
    out.put(k("nodes"), nodes);
    out.put(k("keys"), keys);
    out.put(k("bytes"), bytes);
    out.put(k("problems"), problems);
    return out;
  }

  /**
   * Deletes every blob that no commit reachable from a head reaches, safely beside live readers
   * and writers in any process.
   *
   * <p><b>What is kept:</b> every commit reachable from any head through its parents (all history
   * is retained), every index node those commits' trees reach, and whatever a commit landing
   * during the run names. So a {@code Db} value or {@code DbRef} open anywhere keeps working: its
   * commit is an ancestor of a head. What goes is what no head can reach: blobs of transactions
   * that failed or lost a race, and puts of processes that died before committing.
   *
   * <p><b>How it stays safe</b> (see {@code docs/format.md}, "Garbage collection beside live
   * writers"): it marks what the heads reach and lists the other blobs without any lock; then
   * {@link Store#sweep} runs under the store's head lock, where the plan marks again from the
   * heads as they are now (commits made meanwhile and their new nodes; the walk stops at what is
   * already marked) and deletes only what is still unmarked. A commit in flight whose blobs were
   * swept fails its compare-and-set on the store's gc generation and is built again by its writer.
   */
  public static Map<Keyword, Object> gc(Connection conn) {
    return gc(conn, false);
  }

  /**
   * {@link #gc(Connection)}; with {@code scrub}, compaction also rewrites the packs that hold only a
   * few deleted records, so that after an excision no byte of an excised value stays in the store
   * (in packs whose writers have closed; an open writer's pack is rewritten once it closes).
   */
  public static Map<Keyword, Object> gc(Connection conn, boolean scrub) {
    return gc(conn, scrub, null);
  }

  /**
   * {@link #gc(Connection, boolean)}, giving up the history before {@code keepSince} first (when
   * not null): the branch's chain is written again from its first transaction at or after that
   * instant, which becomes a base without a parent holding only the history retracted since
   * (see {@code docs/database.md}, "History retention"); views as of an earlier t are then
   * refused ({@code db/before-retention}), and this gc reclaims everything older.
   */
  public static Map<Keyword, Object> gc(Connection conn, boolean scrub, java.time.Instant keepSince) {
    ConnectionImpl c = impl(conn);
    Long keptFrom = null;
    if (keepSince != null && c.rewriteHistory(head -> HistoryRewrite.retain(c.commits(), head, keepSince))) {
      keptFrom = ((DbImpl) c.db()).snapshot().horizonT();
    }
    Store store = c.store();
    Set<Address> live = new HashSet<>();
    Map<String, Address> before = new java.util.TreeMap<>();
    for (String h : store.heads()) store.head(h).ifPresent(a -> before.put(h, a));
    mark(c, before.values(), live);
    List<Address> unmarked = new ArrayList<>();
    store.forEachAddress(a -> {
      if (!live.contains(a)) unmarked.add(a);
    });
    long markedFirst = live.size();
    long deleted = store.sweep(heads -> {
      mark(c, heads.values(), live);
      List<Address> doomed = new ArrayList<>();
      for (Address a : unmarked) if (!live.contains(a)) doomed.add(a);
      return doomed;
    });
    // deleting only marks records dead in a file store; compaction gives the disk space back
    long reclaimed = store.compact(scrub);
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(k("kept"), (long) live.size());
    out.put(k("kept-since-mark"), live.size() - markedFirst);
    out.put(k("deleted"), deleted);
    out.put(k("reclaimed-bytes"), reclaimed);
    if (keptFrom != null) out.put(k("history-from-t"), keptFrom);
    return out;
  }

  /**
   * Adds to {@code live} every commit reachable from {@code heads} (through parents) and every
   * node of their trees. A commit or node already in {@code live} is not entered again: whatever
   * it reaches was marked with it, so marking again after new commits costs only what they added.
   * A commit or node that cannot be read stops the collection (a damaged store is not collected).
   */
  private static void mark(ConnectionImpl c, java.util.Collection<Address> heads, Set<Address> live) {
    ArrayDeque<Address> todo = new ArrayDeque<>(heads);
    while (!todo.isEmpty()) {
      Address a = todo.pop();
      if (live.contains(a)) continue;
      CommitRecord r;
      try {
        r = c.commits().record(a);
        for (int i = 0; i < 8; i++) {
          Address root = r.roots()[i];
          if (root == null) continue;
          BTree.load(c.commits().ctx().storage(), DatomOrder.of(IndexType.values()[i % 4]), root).walkAddresses(live::add);
        }
      } catch (DatahopException e) {
        throw new DatahopException.Fault("db/gc-damaged", "not collecting a damaged store: commit " + a.hex() + ": "
            + e.getMessage(), Map.of("commit", a.hex(), "store", c.store().locator()), e);
      }
      // the commit last: marked only once everything it reaches is
      live.add(a);
      if (r.parent() != null) todo.push(r.parent());
    }
  }
}
