package io.datahop.store;

import io.datahop.DatahopException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The blobs of a file store: the {@code packs/} directory, an in-memory index from address to
 * record, this instance's own pack for appends, and the bookkeeping that makes one {@link #sync}
 * cover every blob put before it.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li>Each instance appends to a pack of its own (created on the first put), so appends of
 *       different processes never interleave and a torn record is always the last of its pack.
 *   <li>Blobs of other writers are found by scanning their packs: on open, and again whenever an
 *       address is missing (a reader following a new head finds the whole commit in one rescan).
 *   <li>A put whose address is already indexed is skipped only when the existing record is
 *       trusted: written by this instance, or read back and hashed. A record found by scanning
 *       may be the unsynced, damaged leftover of a crashed writer; it is verified once, and its
 *       pack is synced by the next commit, so a commit never leans on bytes that are not durable.
 *   <li>Sync is grouped: writes count up a sequence number; a commit waits until everything up to
 *       the number it saw is forced, and one {@code force} serves every committer waiting for it.
 * </ul>
 */
final class PackSet {
  /** Where a blob's record is; {@code dup} chains further copies (two writers put one blob). */
  record Loc(Pack pack, long offset, int length, boolean trusted, Loc dup) {
    Loc withDup(Loc other) {
      return new Loc(pack, offset, length, trusted, dup == null ? other : dup.withDup(other));
    }

    /** This chain without the copies in {@code gone}; {@link #NONE} when nothing is left. */
    Loc without(Pack gone) {
      Loc rest = dup == null ? NONE : dup.without(gone);
      if (pack == gone) {
        return rest;
      }
      return rest == NONE ? new Loc(pack, offset, length, trusted, null) : new Loc(pack, offset, length, trusted, rest);
    }
  }

  /**
   * The newest version of the heads known here: {@code seq}, every head, and the pack of another
   * writer holding that head record ({@code null} when it is durable for sure: written and synced
   * by this instance, or taken from a legacy heads file); {@code source} and {@code offset} say
   * where the record is (the file name of its pack, "" for the legacy heads file), which orders
   * two records of one {@code seq}.
   */
  record HeadState(long seq, Map<String, Address> heads, Pack pack, String source, long offset) {
    HeadState(long seq, Map<String, Address> heads, Pack pack) {
      this(seq, heads, pack, "", -1);
    }

    /**
     * True when a head record {@code (seq, source, offset)} supersedes this one. Two valid records
     * of one seq should not exist (a seq is used once, see {@link PackSet#writeHeads}); if they
     * do, every reader picks the same one: the later by pack file name, then by offset.
     */
    boolean supersededBy(long otherSeq, String otherSource, long otherOffset) {
      if (otherSeq != seq) {
        return otherSeq > seq;
      }
      int bySource = otherSource.compareTo(source);
      return bySource != 0 ? bySource > 0 : otherOffset > offset;
    }
  }

  /** Does something under the store lock (compaction rewrites the heads before deleting packs). */
  interface LockedAction {
    void run() throws IOException;
  }

  /** Marks an emptied chain for removal (a map value cannot be null). */
  private static final Loc NONE = new Loc(null, -1, -1, false, null);

  /** Start a new pack once this one is larger (keeps files a manageable size for gc and copies). */
  static final long ROLL_BYTES = 256L << 20;

  private final FileIo fs;
  private final Path dir;
  private final String locator;
  private final HeadState baseline;
  private final Map<Address, Loc> index = new ConcurrentHashMap<>();
  private final Map<Path, Pack> packs = new ConcurrentHashMap<>();

  private final Object writeLock = new Object();
  private Pack writer;
  /** Held from a pack's creation until this instance closes. */
  private final List<WriterLock> writerLocks = new CopyOnWriteArrayList<>();
  private long writtenSeq;
  private final Set<Pack> unsynced = new HashSet<>();

  private final Object syncLock = new Object();
  private volatile long syncedSeq;
  private volatile HeadState newest;
  /** The highest head seq seen in any head record, retracted ones included: never written again. */
  private final AtomicLong usedSeq = new AtomicLong();
  /** The first failed write, force or truncate: then this instance writes nothing any more. */
  private volatile Poison poison;
  private final Object poisonLock = new Object();

  /** What failed, where: the reason every later write of this instance fails fast. */
  private record Poison(String operation, String file, Exception cause) {}

  PackSet(FileIo fs, Path dir, String locator, HeadState baseline) throws IOException {
    this.fs = fs;
    this.dir = dir;
    this.locator = locator;
    this.baseline = baseline;
    this.newest = baseline;
    this.usedSeq.set(baseline.seq());
    refresh();
  }

  /**
   * The newest heads of every writer, after a rescan. When the newest known head record was
   * retracted since it was read (its writer's force failed: see {@link Pack#retractHead}), the
   * newest valid one is looked for again in every pack: nobody may build on a retracted commit.
   */
  HeadState currentHeads() throws IOException {
    refresh();
    HeadState h = newest;
    if (h.pack() != null && h.offset() >= 0 && !retractedGone(h) && !h.pack().isLiveHead(h.offset())) {
      reviseHeads();
    }
    return newest;
  }

  private boolean retractedGone(HeadState h) {
    return !packs.containsKey(h.pack().path());
  }

  /** Decides the newest valid head record afresh from every pack (rare: after a retraction). */
  private synchronized void reviseHeads() throws IOException {
    HeadState[] best = {baseline};
    Pack.Sink heads = new Pack.Sink() {
      @Override
      public void record(Pack pack, Address address, long offset, int length, boolean live) {}

      @Override
      public void head(Pack pack, long offset, long seq, Map<String, Address> h, boolean retracted) {
        usedSeq.accumulateAndGet(seq, Math::max);
        if (!retracted && best[0].supersededBy(seq, pack.path().getFileName().toString(), offset)) {
          best[0] = new HeadState(seq, h, pack.own() ? null : pack, pack.path().getFileName().toString(), offset);
        }
      }
    };
    for (Pack pack : packs.values()) {
      try {
        pack.scanHeads(heads);
      } catch (NoSuchFileException | ClosedChannelException gone) {
        // compacted away: its heads were written afresh by the compactor
      }
    }
    newest = best[0];
  }

  /**
   * Fails with the {@code store/io-failed} Fault when an earlier write, force or truncate of this
   * instance failed: after that its own files are in an unknown state, and writing on (or syncing
   * again, which may report success for data the failed sync dropped) could acknowledge a commit
   * that is not durable, or reuse a head seq. Reopening the store recovers the last durable state.
   */
  void checkWritable() {
    Poison p = poison;
    if (p != null) {
      throw StoreErrors.ioFailed(
          locator, p.file(), p.cause(),
          "store " + locator + " takes no more writes: " + p.operation() + " " + p.file() + " failed before ("
              + p.cause() + "); close it (every connection) and open it again");
    }
  }

  /**
   * Records the first failure, stops every write to this instance's packs, and returns the Fault
   * to throw.
   */
  DatahopException.Fault poisoned(String operation, Path file, Exception cause) {
    // not the monitor of this: a put fails here holding the write lock, which compaction takes
    // while holding the monitor
    synchronized (poisonLock) {
      if (poison == null) {
        poison = new Poison(operation, file.toString(), cause);
      }
    }
    for (Pack pack : packs.values()) {
      pack.stopWriting();
    }
    Pack w = writer;
    if (w != null) {
      w.stopWriting();
    }
    return StoreErrors.ioFailed(
        locator, file.toString(), cause,
        operation + " " + file + " in store " + locator + " failed: " + cause
            + "; the store takes no more writes until it is opened again");
  }

  /**
   * Writes {@code heads} as the version after {@code current} and makes it durable together with
   * every blob put before: a head record appended to this instance's pack and one {@code force}
   * of that pack. Only call under the store lock, with {@code current} read under it.
   *
   * <p>Before that, other packs are forced where the new head may rely on them: packs this
   * instance wrote but no longer appends to, records of other writers it reused, and the pack
   * holding {@code current} when another writer wrote it (that writer may have died between
   * writing its head record and syncing it, and our head must not outlive its parent).
   */
  void writeHeads(HeadState current, Map<String, Address> heads) throws IOException {
    checkWritable();
    Pack mine;
    long seq;
    long offset;
    synchronized (writeLock) {
      mine = writer();
      List<Pack> others = new ArrayList<>();
      for (Pack p : unsynced) {
        if (p != mine) {
          others.add(p);
        }
      }
      if (current.pack() != null && !current.pack().own() && packs.containsKey(current.pack().path())) {
        others.add(current.pack());
      }
      for (Pack p : others) {
        try {
          p.force();
        } catch (ClosedChannelException | NoSuchFileException gone) {
          // compacted away: the compactor synced its copies and wrote the heads afresh
        } catch (IOException e) {
          throw poisoned("forcing", p.path(), e);
        }
        unsynced.remove(p);
      }
      // never a seq some head record already has, even a retracted one: after a power cut that
      // record may stand again, and two commits of one seq would leave the choice to chance
      seq = Math.max(current.seq(), usedSeq.get()) + 1;
      try {
        offset = mine.appendHead(seq, heads);
      } catch (IOException e) {
        throw poisoned("writing a head record to", mine.path(), e);
      }
      usedSeq.accumulateAndGet(seq, Math::max);
    }
    try {
      mine.force();
    } catch (IOException e) {
      // the head record may be complete in the page cache, where other processes would find it
      // and build on a commit we report as failed: retract it before the lock is released
      DatahopException.Fault fault = poisoned("forcing", mine.path(), e);
      try {
        mine.retractHead(offset);
      } catch (IOException | RuntimeException alsoFailed) {
        fault.addSuppressed(alsoFailed);
      }
      throw fault;
    }
    HeadState next = new HeadState(seq, Map.copyOf(heads), null, mine.path().getFileName().toString(), offset);
    synchronized (this) {
      if (newest == null || newest.supersededBy(next.seq(), next.source(), next.offset())) {
        newest = next;
      }
    }
  }

  /** Stores {@code buf[off, off + len)}; the bytes are written (or found present) before it returns. */
  Address put(byte[] buf, int off, int len) {
    checkWritable();
    Address address = Address.of(buf, off, len);
    Loc known = index.get(address);
    if (known != null && (known.trusted() ? stillLive(address, known) : trust(address, known))) {
      return address;
    }
    synchronized (writeLock) {
      known = index.get(address);
      if (known != null && known.trusted() && stillLive(address, known)) {
        return address;
      }
      append(address, buf, off, len);
    }
    return address;
  }

  /** Appends a record to this instance's pack and indexes it; the caller holds the write lock. */
  private void append(Address address, byte[] buf, int off, int len) {
    Pack pack = writer();
    long offset;
    try {
      offset = pack.append(address, buf, off, len);
    } catch (IOException e) {
      // the pack may now end in a torn record; this instance writes nothing more
      throw poisoned("writing blob " + address + " to", pack.path(), e);
    }
    index.put(address, new Loc(pack, offset, len, true, null));
    unsynced.add(pack);
    writtenSeq++;
    if (offset + len > ROLL_BYTES) {
      writer = null;
    }
  }

  byte[] get(Address address) {
    boolean damaged = false;
    for (int attempt = 0; attempt < 2; attempt++) {
      damaged = false;
      for (Loc loc = index.get(address); loc != null; loc = loc.dup()) {
        try {
          byte[] data = loc.pack().read(address, loc.offset(), loc.length());
          if (data == null) {
            continue;
          }
          if (address.matches(data)) {
            return data;
          }
          damaged = true;
        } catch (Pack.BadRecord e) {
          damaged = true;
        } catch (NoSuchFileException | ClosedChannelException e) {
          // the pack was compacted away; the rescan below finds the copy that replaced it
        } catch (IOException e) {
          throw StoreErrors.io(locator, "reading blob " + address, e);
        }
      }
      if (attempt == 0) {
        // Another process may have written the blob (or a sound copy of it) since the last scan.
        refreshQuietly();
      }
    }
    if (damaged) {
      throw StoreErrors.damaged(locator, address, "its bytes do not hash to its address");
    }
    throw StoreErrors.missing(locator, address);
  }

  boolean contains(Address address) {
    if (index.containsKey(address)) {
      return true;
    }
    refreshQuietly();
    return index.containsKey(address);
  }

  void forEachAddress(Consumer<Address> sink) {
    refreshQuietly();
    index.keySet().forEach(sink);
  }

  /** Marks every record of {@code address} deleted; false when there was none. */
  boolean delete(Address address) {
    checkWritable();
    if (!index.containsKey(address)) {
      refreshQuietly();
    }
    synchronized (writeLock) {
      Loc loc = index.remove(address);
      if (loc == null) {
        return false;
      }
      for (; loc != null; loc = loc.dup()) {
        try {
          loc.pack().markDead(loc.offset());
        } catch (IOException e) {
          throw poisoned("marking blob " + address + " deleted in", loc.pack().path(), e);
        }
      }
      return true;
    }
  }

  /** Makes every blob put (or reused) before this call durable, with as few forces as possible. */
  void sync() throws IOException {
    long target;
    synchronized (writeLock) {
      target = writtenSeq;
    }
    if (syncedSeq >= target) {
      return;
    }
    synchronized (syncLock) {
      if (syncedSeq >= target) {
        return;
      }
      long seq;
      List<Pack> toSync;
      synchronized (writeLock) {
        seq = writtenSeq;
        toSync = new ArrayList<>(unsynced);
        unsynced.clear();
      }
      for (Pack pack : toSync) {
        try {
          pack.force();
        } catch (ClosedChannelException | NoSuchFileException gone) {
          // compacted away by another instance, which synced its copies first
        } catch (IOException e) {
          synchronized (writeLock) {
            unsynced.addAll(toSync);
          }
          throw poisoned("forcing", pack.path(), e);
        }
      }
      syncedSeq = seq;
    }
  }

  /**
   * Finds packs created and records appended by other writers since the last look, and forgets
   * packs that a compaction removed. Vanished packs are checked before the directory is listed:
   * a compactor writes its copies before it deletes a pack, so the listing then holds them.
   */
  synchronized void refresh() throws IOException {
    for (Pack pack : packs.values()) {
      if (!pack.own() && !Files.exists(pack.path())) {
        forget(pack);
      }
    }
    // a plain listing: a glob compiles a regular expression on every call, and this runs per commit
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        if (Pack.isPack(file) && !packs.containsKey(file)) {
          try {
            packs.put(file, Pack.openForeign(fs, file));
          } catch (NoSuchFileException gone) {
            // removed between listing and opening
          }
        }
      }
    }
    for (Pack pack : packs.values()) {
      if (!pack.own()) {
        try {
          pack.scan(sink);
        } catch (NoSuchFileException gone) {
          forget(pack);
        }
      }
    }
  }

  /** Drops a pack and every index entry pointing into it, and closes it (freeing its disk space). */
  private void forget(Pack pack) throws IOException {
    packs.remove(pack.path());
    synchronized (writeLock) {
      unsynced.remove(pack);
    }
    for (Address address : index.keySet()) {
      index.computeIfPresent(address, (a, loc) -> {
        Loc rest = loc.without(pack);
        return rest == NONE ? null : rest;
      });
    }
    pack.close();
  }

  /**
   * Reclaims the space of deleted blobs: every pack whose writer is gone (its lock is free) and
   * of which at least half the bytes are deleted records is copied, live records only, into this
   * instance's pack, which is synced; then the old pack is deleted.
   *
   * @return bytes of pack files removed
   */
  synchronized long compact(LockedAction rewriteHeads) throws IOException {
    return compact(rewriteHeads, false);
  }

  /**
   * {@link #compact(LockedAction)}; with {@code everyDead}, every pack of a gone writer that holds
   * any dead bytes is rewritten, not only those at least half dead, so no deleted byte stays.
   */
  synchronized long compact(LockedAction rewriteHeads, boolean everyDead) throws IOException {
    checkWritable();
    refresh();
    long reclaimed = 0;
    boolean headsRewritten = false;
    for (Pack pack : List.copyOf(packs.values())) {
      if (pack.own() || WriterLock.heldHere(pack.path())) {
        continue;
      }
      try (WriterLock lock = WriterLock.tryAcquire(fs, pack.path())) {
        if (lock == null) {
          continue;
        }
        Pack.Stats stats = pack.stats();
        if (everyDead ? stats.deadBytes() == 0 : stats.deadBytes() * 2 < stats.bytes()) {
          continue;
        }
        pack.forEachLive((address, data) -> {
          if (address.matches(data)) {
            synchronized (writeLock) {
              Loc mine = index.get(address);
              if (mine == null || !mine.trusted() || !mine.pack().own()) {
                append(address, data, 0, data.length);
              }
            }
          }
        });
        sync();
        if (!headsRewritten) {
          // the pack may hold the newest head record: write it anew (synced) before deleting
          rewriteHeads.run();
          headsRewritten = true;
        }
        long size = pack.size();
        forget(pack);
        try {
          fs.deleteIfExists(pack.path());
          lock.deleteFile();
        } catch (IOException e) {
          throw poisoned("deleting", pack.path(), e);
        }
        reclaimed += size;
      }
    }
    return reclaimed;
  }

  void close() throws IOException {
    IOException first = null;
    for (WriterLock lock : writerLocks) {
      try {
        lock.close();
      } catch (IOException e) {
        first = e;
      }
    }
    for (Pack pack : packs.values()) {
      try {
        pack.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Number of pack files this instance knows (for tests and stats). */
  int packCount() {
    return packs.size();
  }

  private final Pack.Sink sink = new Pack.Sink() {
    @Override
    public void record(Pack pack, Address address, long offset, int length, boolean live) {
      if (live) {
        index.merge(address, new Loc(pack, offset, length, false, null), Loc::withDup);
      }
    }

    @Override
    public void head(Pack pack, long offset, long seq, Map<String, Address> heads, boolean retracted) {
      usedSeq.accumulateAndGet(seq, Math::max);
      String source = pack.path().getFileName().toString();
      if (!retracted && (newest == null || newest.supersededBy(seq, source, offset))) {
        newest = new HeadState(seq, heads, pack, source, offset);
      }
    }
  };

  /**
   * A trusted record may have been deleted since by gc in another process, which cannot tell this
   * index; relying on it would commit a dangling address. One small read per reuse rules that out.
   */
  private boolean stillLive(Address address, Loc loc) {
    if (loc.pack().isLive(loc.offset())) {
      return true;
    }
    index.remove(address, loc);
    return false;
  }

  /** Reads an untrusted record back; when sound, trusts it and has the next commit sync it. */
  private boolean trust(Address address, Loc first) {
    for (Loc loc = first; loc != null; loc = loc.dup()) {
      try {
        byte[] data = loc.pack().read(address, loc.offset(), loc.length());
        if (data != null && address.matches(data)) {
          index.put(address, new Loc(loc.pack(), loc.offset(), loc.length(), true, null));
          synchronized (writeLock) {
            unsynced.add(loc.pack());
            writtenSeq++;
          }
          return true;
        }
      } catch (IOException e) {
        // unreadable copy: try the next, else write a fresh one
      }
    }
    index.remove(address, first);
    return false;
  }

  private Pack writer() {
    if (writer == null) {
      Path path = dir.resolve(Pack.name(UUID.randomUUID().toString().replace("-", "")));
      try {
        // lock first: a compactor that can lock a pack's lock file knows nobody appends to it
        WriterLock lock = WriterLock.acquire(fs, path);
        try {
          Pack pack = Pack.create(fs, path);
          fs.syncDirectory(dir);
          packs.put(pack.path(), pack);
          writerLocks.add(lock);
          writer = pack;
        } catch (IOException | RuntimeException e) {
          lock.close();
          throw e;
        }
      } catch (IOException e) {
        throw poisoned("creating", path, e);
      }
    }
    return writer;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (IOException e) {
      throw StoreErrors.io(locator, "scanning packs", e);
    }
  }
}
