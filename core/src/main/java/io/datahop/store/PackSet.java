package io.datahop.store;

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
   * by this instance, or taken from a legacy heads file).
   */
  record HeadState(long seq, Map<String, Address> heads, Pack pack) {}

  /** Does something under the store lock (compaction rewrites the heads before deleting packs). */
  interface LockedAction {
    void run() throws IOException;
  }

  /** Marks an emptied chain for removal (a map value cannot be null). */
  private static final Loc NONE = new Loc(null, -1, -1, false, null);

  /** Start a new pack once this one is larger (keeps files a manageable size for gc and copies). */
  static final long ROLL_BYTES = 256L << 20;

  private final Path dir;
  private final String locator;
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

  PackSet(Path dir, String locator, HeadState baseline) throws IOException {
    this.dir = dir;
    this.locator = locator;
    this.newest = baseline;
    refresh();
  }

  /** The newest heads of every writer, after a rescan. */
  HeadState currentHeads() throws IOException {
    refresh();
    return newest;
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
    Pack mine;
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
        }
        unsynced.remove(p);
      }
      try {
        mine.appendHead(current.seq() + 1, heads);
      } catch (IOException e) {
        writer = null;
        throw e;
      }
    }
    mine.force();
    HeadState next = new HeadState(current.seq() + 1, Map.copyOf(heads), null);
    synchronized (this) {
      if (newest == null || newest.seq() < next.seq()) {
        newest = next;
      }
    }
  }

  /** Stores {@code buf[off, off + len)}; the bytes are written (or found present) before it returns. */
  Address put(byte[] buf, int off, int len) {
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
      // The pack may now end in a torn record: never append to it again.
      writer = null;
      unsynced.add(pack);
      throw StoreErrors.io(locator, "writing blob " + address, e);
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
    if (!index.containsKey(address)) {
      refreshQuietly();
    }
    synchronized (writeLock) {
      Loc loc = index.remove(address);
      if (loc == null) {
        return false;
      }
      try {
        for (; loc != null; loc = loc.dup()) {
          loc.pack().markDead(loc.offset());
        }
      } catch (IOException e) {
        throw StoreErrors.io(locator, "deleting blob " + address, e);
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
      try {
        for (Pack pack : toSync) {
          pack.force();
        }
      } catch (IOException | RuntimeException e) {
        synchronized (writeLock) {
          unsynced.addAll(toSync);
        }
        throw e;
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
            packs.put(file, Pack.openForeign(file));
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
    refresh();
    long reclaimed = 0;
    boolean headsRewritten = false;
    for (Pack pack : List.copyOf(packs.values())) {
      if (pack.own() || WriterLock.heldHere(pack.path())) {
        continue;
      }
      try (WriterLock lock = WriterLock.tryAcquire(pack.path())) {
        if (lock == null) {
          continue;
        }
        Pack.Stats stats = pack.stats();
        if (stats.deadBytes() * 2 < stats.bytes()) {
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
        Files.deleteIfExists(pack.path());
        lock.deleteFile();
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
    public void head(Pack pack, long seq, Map<String, Address> heads) {
      if (newest == null || newest.seq() < seq) {
        newest = new HeadState(seq, heads, pack);
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
        WriterLock lock = WriterLock.acquire(path);
        try {
          Pack pack = Pack.create(path);
          Durable.syncDirectory(dir);
          packs.put(pack.path(), pack);
          writerLocks.add(lock);
          writer = pack;
        } catch (IOException | RuntimeException e) {
          lock.close();
          throw e;
        }
      } catch (IOException e) {
        throw StoreErrors.io(locator, "creating a pack file", e);
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
