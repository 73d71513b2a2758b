package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.index.BTree;
import io.datahop.store.Address;
import io.datahop.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of {@link Backups#copy}: every blob the source's heads reach, children first, then the
 * heads.
 *
 * <p>Why this order is enough for a kill at any point: a blob is put only after every blob it names
 * (an index node after its children, a base commit after its trees, a commit after its parent), so
 * a blob present in the destination has everything below it present too, and a resumed run may
 * skip a present subtree whole. The heads move last, each by compare-and-set from the value this
 * run checked, with the gc generation read before the first put: a destination gc that swept the
 * not-yet-reachable blobs of this run makes that compare-and-set fail, and the run looks again.
 */
final class StoreCopy {
  private static final int ATTEMPTS = 5;

  private final Store src;
  private final Store dst;
  private final Backups.Progress progress;
  private final IndexContext srcCtx;
  private long copiedBlobs;
  private long copiedBytes;
  private long presentBlobs;

  StoreCopy(Store src, Store dst, Backups.Progress progress) {
    this.src = src;
    this.dst = dst;
    this.progress = progress;
    this.srcCtx = new IndexContext(src);
  }

  Map<Keyword, Object> run() {
    if (src.id().equals(dst.id())) {
      throw new DatahopException.Incorrect("copy/same-store",
          "cannot copy store " + src.locator() + " onto itself (" + dst.locator() + " has the same store id "
              + src.id() + ")",
          Map.of("from", src.locator(), "to", dst.locator(), "store-id", src.id().toString()), null);
    }
    for (int attempt = 1; ; attempt++) {
      // read before the first put: a sweep after it makes the compare-and-sets below fail
      long gcGeneration = dst.gcGeneration();
      Map<String, Address> from = heads(src);
      if (from.isEmpty()) {
        throw new DatahopException.NotFound("copy/empty-source",
            "the store at " + src.locator() + " has no database (no heads) to copy", Map.of("from", src.locator()), null);
      }
      Map<String, Address> to = heads(dst);
      refuseForeign(from, to);
      List<Address> commits = commitsToCopy(from, new HashSet<>(to.values()));
      long done = 0;
      progress.update(0, commits.size());
      for (Address c : commits) {
        copyCommit(c);
        progress.update(++done, commits.size());
      }
      // verified before the heads move: a copy that does not verify is never published
      verify(from, commits);
      if (moveHeads(from, to, gcGeneration)) {
        Map<Keyword, Object> out = new LinkedHashMap<>();
        out.put(Keyword.of("from"), src.locator());
        out.put(Keyword.of("to"), dst.locator());
        out.put(Keyword.of("commits"), (long) commits.size());
        out.put(Keyword.of("copied-blobs"), copiedBlobs);
        out.put(Keyword.of("copied-bytes"), copiedBytes);
        out.put(Keyword.of("present-blobs"), presentBlobs);
        Map<String, Object> heads = new TreeMap<>();
        from.forEach((h, a) -> heads.put(h, a.hex()));
        out.put(Keyword.of("heads"), heads);
        out.put(Keyword.of("verified"), true);
        return out;
      }
      if (attempt == ATTEMPTS) {
        throw new DatahopException.Conflict("copy/contention",
            "the heads of " + dst.locator() + " kept changing while copying into it (" + attempt + " attempts)",
            Map.of("to", dst.locator()), null);
      }
      // another writer or a gc moved the destination meanwhile: look again (present blobs are skipped)
    }
  }

  private static Map<String, Address> heads(Store s) {
    Map<String, Address> out = new TreeMap<>();
    for (String h : s.heads()) s.head(h).ifPresent(a -> out.put(h, a));
    return out;
  }

  private CommitRecord record(Address at) {
    return CommitRecord.decode(at, src.get(at));
  }

  /**
   * Refuses a destination that holds another database: each of its heads must be the source's
   * head of that name or an ancestor of it (then the copy only adds the newer commits).
   */
  private void refuseForeign(Map<String, Address> from, Map<String, Address> to) {
    for (Map.Entry<String, Address> h : to.entrySet()) {
      Address mine = from.get(h.getKey());
      if (mine == null || !reaches(mine, h.getValue())) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("from", src.locator());
        ctx.put("to", dst.locator());
        ctx.put("head", h.getKey());
        ctx.put("to-commit", h.getValue().hex());
        throw new DatahopException.Conflict("copy/diverged",
            "the destination " + dst.locator() + " holds another database: its head " + h.getKey() + " ("
                + h.getValue().hex() + ") is " + (mine == null ? "not a head of the source"
                    : "not a commit of the source's history") + "; copy into an empty store or one copied from "
                + src.locator() + " before",
            ctx, null);
      }
    }
  }

  /** True when {@code ancestor} is {@code head} or one of its parents in the source. */
  private boolean reaches(Address head, Address ancestor) {
    for (Address a = head; a != null; a = record(a).parent()) {
      if (a.equals(ancestor)) return true;
    }
    return false;
  }

  /**
   * The commits of every source head the destination lacks, oldest first (each once): each head's
   * chain back to a commit the destination's heads already reach, or to the first commit.
   */
  private List<Address> commitsToCopy(Map<String, Address> from, Set<Address> reached) {
    List<Address> out = new ArrayList<>();
    Set<Address> listed = new HashSet<>();
    for (Address head : from.values()) {
      List<Address> chain = new ArrayList<>();
      for (Address a = head; a != null && !reached.contains(a) && !listed.contains(a); a = record(a).parent()) {
        chain.add(a);
      }
      for (int i = chain.size() - 1; i >= 0; i--) {
        out.add(chain.get(i));
        listed.add(chain.get(i));
      }
    }
    return out;
  }

  /** Copies one commit: a base's trees first (a tail commit's are its base's, copied before it), then the record. */
  private void copyCommit(Address at) {
    if (dst.contains(at)) {
      presentBlobs++; // put by an earlier run after everything it names
      return;
    }
    byte[] bytes = src.get(at);
    CommitRecord r = CommitRecord.decode(at, bytes);
    if (r.base() == null) {
      for (int i = 0; i < 8; i++) copyTree(IndexType.values()[i % 4], r.roots()[i]);
    }
    put(bytes);
  }

  /** Copies the nodes of one stored tree that the destination lacks, children before parents. */
  private void copyTree(IndexType type, Address root) {
    if (root == null) return;
    List<Address> missing = new ArrayList<>();
    BTree.load(srcCtx.storage(), DatomOrder.of(type), root).walkAddresses(a -> {
      if (dst.contains(a)) {
        presentBlobs++;
        return false; // and so is all of its subtree
      }
      missing.add(a);
      return true;
    });
    // the walk lists parents before children: put in reverse
    for (int i = missing.size() - 1; i >= 0; i--) put(src.get(missing.get(i)));
  }

  private void put(byte[] bytes) {
    dst.put(bytes);
    copiedBlobs++;
    copiedBytes += bytes.length;
  }

  /** Moves each destination head that differs to the source's commit; false when one lost a race. */
  private boolean moveHeads(Map<String, Address> from, Map<String, Address> to, long gcGeneration) {
    for (Map.Entry<String, Address> h : from.entrySet()) {
      Address old = to.get(h.getKey());
      if (h.getValue().equals(old)) continue;
      if (!dst.compareAndSetHead(h.getKey(), old, h.getValue(), gcGeneration)) return false;
    }
    return true;
  }

  /**
   * Reads back, before any head moves, what this run named: every commit it listed (the store checks each blob's hash),
   * every node of the trees of the base commits among them (hashes, order, counts), and each head
   * opened as a database value. Commits the destination's heads reached before were checked when
   * they were written there.
   */
  private void verify(Map<String, Address> heads, List<Address> commits) {
    Commits dc = new Commits(new IndexContext(dst));
    List<String> problems = new ArrayList<>();
    Set<Address> roots = new HashSet<>();
    for (Address c : commits) {
      try {
        CommitRecord r = dc.record(c);
        if (r.base() != null) continue;
        for (int i = 0; i < 8; i++) {
          Address root = r.roots()[i];
          if (root == null || !roots.add(root)) continue;
          BTree.load(dc.ctx().storage(), DatomOrder.of(IndexType.values()[i % 4]), root).verify();
        }
      } catch (DatahopException e) {
        problems.add("commit " + c.hex() + ": " + e.getMessage());
      }
    }
    for (Map.Entry<String, Address> h : heads.entrySet()) {
      try {
        dc.open(h.getValue()).scan(IndexType.EAVT).hasNext();
      } catch (DatahopException e) {
        problems.add("head " + h.getKey() + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new DatahopException.Fault("copy/verify-failed",
          "the copy in " + dst.locator() + " does not verify: " + String.join("; ", problems),
          Map.of("to", dst.locator(), "problems", List.copyOf(problems)), null);
    }
  }
}
