package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A file system for fault-injection tests (in the spirit of H2's {@code FilePathUnstable}): it
 * passes every operation of a {@link FileStore} to the real one, counts the ones that change
 * something, fails the one its {@link Plan} names, and keeps what a power cut would leave.
 *
 * <h2>The durability model</h2>
 *
 * Per file, in 512-byte sectors: the bytes a sector had when it was last forced (saved before its
 * first change since), and the file's size then. A successful {@code force} makes the whole file
 * durable; a failed one makes nothing durable and, as Linux does after a failed {@code fsync}
 * (PostgreSQL's "fsyncgate"), forgets that the sectors were dirty: a later successful force does
 * not save them, only writing them again does. Directory entries (a file created, renamed or
 * deleted) are durable once their directory is synced. {@link #powerCut} puts every file back
 * to its durable state; {@code torn} keeps, sector by sector and at random, some of what was not
 * forced (the page cache writes back dirty pages in any order, so also a partly written last
 * page) and a random length between the durable and the current one, and keeps or undoes each
 * unsynced directory entry at random.
 *
 * <p>Simplifications: directories themselves (created by the store before any of this) count as
 * durable; forces do not really reach the device (the model stands in for it, and the sweeps stay
 * fast); a file the store never changed counts as durable as it is.
 */
final class FaultyFileIo extends FileIo {
  static final int SECTOR = 512;

  /** The operations that change something, counted. */
  enum Op {
    WRITE, FORCE, TRUNCATE, CREATE, SYNC_DIR, RENAME, DELETE
  }

  /** What to break. */
  enum Mode {
    /** Nothing: counts operations (and models durability). */
    NONE,
    /**
     * The n-th write, force or truncate fails; when partial, a write first writes half its bytes,
     * a force first makes the file durable (the error comes after the flush), a truncate first
     * truncates.
     */
    FAIL,
    /** The n-th write and every later one fail with ENOSPC, the n-th after writing half its bytes. */
    ENOSPC,
    /** At the n-th change of any kind the power goes: it and everything after fail. */
    CUT
  }

  /** Which operation to break and how; {@code n} counts from 1 over the ones the mode counts. */
  record Plan(Mode mode, long n, boolean partial) {
    static Plan none() {
      return new Plan(Mode.NONE, 0, false);
    }

    @Override
    public String toString() {
      return mode + (mode == Mode.NONE ? "" : " n=" + n + (partial ? " partial" : ""));
    }
  }

  /** The state a file would have after a power cut, and what was done to it since the last force. */
  private static final class FileState {
    /** Sector -> its bytes when last durable (shorter than a sector at the end of the file). */
    final TreeMap<Long, byte[]> saved = new TreeMap<>();
    /** Sectors whose force failed: not durable until written and forced again. */
    final Set<Long> lost = new HashSet<>();
    long durableSize;

    FileState(long durableSize) {
      this.durableSize = durableSize;
    }
  }

  /** An unsynced directory entry, undone by a power cut. */
  private record Entry(Op op, Path path, Path from, byte[] before) {}

  private final Plan plan;
  private final Map<Path, FileState> files = new HashMap<>();
  private final List<Entry> entries = new ArrayList<>();
  private final Map<Op, Long> counts = new EnumMap<>(Op.class);
  private long failCounted;
  private long writesCounted;
  private long changesCounted;
  private boolean dead;
  private String triggered;
  /** Armed by {@link #failNextForce}: runs, then the next force fails. */
  private Runnable nextForceFails;

  FaultyFileIo(Plan plan) {
    this.plan = plan;
    for (Op op : Op.values()) {
      counts.put(op, 0L);
    }
  }

  /** Operations seen, by kind. */
  synchronized Map<Op, Long> counts() {
    return Map.copyOf(counts);
  }

  /** Writes, forces and truncations seen (what {@link Mode#FAIL} counts). */
  synchronized long failCountable() {
    return counts.get(Op.WRITE) + counts.get(Op.FORCE) + counts.get(Op.TRUNCATE);
  }

  /** The operation the plan broke ("WRITE /x/packs/a.pack"), or null when it never came. */
  synchronized String triggered() {
    return triggered;
  }

  /** Counts {@code op} on {@code file}; throws the planned failure, after {@code partial} bytes when asked. */
  private IOException before(Op op, Path file) {
    counts.merge(op, 1L, Long::sum);
    if (dead) {
      return new IOException("simulated power cut: the device is gone (" + op + " " + file + ")");
    }
    boolean countable = op == Op.WRITE || op == Op.FORCE || op == Op.TRUNCATE;
    switch (plan.mode()) {
      case NONE -> {
        return null;
      }
      case FAIL -> {
        if (countable && ++failCounted == plan.n()) {
          triggered = op + " " + file;
          return new IOException("Input/output error (injected at " + op + " " + failCounted + ")");
        }
      }
      case ENOSPC -> {
        if (op == Op.WRITE && ++writesCounted >= plan.n()) {
          if (triggered == null) {
            triggered = op + " " + file;
          }
          return new IOException("No space left on device");
        }
      }
      case CUT -> {
        if (++changesCounted == plan.n()) {
          triggered = op + " " + file;
          dead = true;
          return new IOException("simulated power cut at " + op + " " + file);
        }
      }
    }
    return null;
  }

  /** How many bytes of a write the failing operation still writes. */
  private int partialBytes(int len) {
    boolean partial =
        plan.mode() == Mode.ENOSPC ? writesCounted == plan.n() : plan.partial() && plan.mode() != Mode.NONE;
    return partial && len > 1 ? len / 2 : 0;
  }

  private FileState state(Path file, FileChannel ch) throws IOException {
    FileState st = files.get(file);
    if (st == null) {
      st = new FileState(ch.size()); // never changed here: durable as it is
      files.put(file, st);
    }
    return st;
  }

  /** Saves the durable bytes of every sector of {@code [from, to)} not saved since the last force. */
  private static void save(FileState st, FileChannel ch, long from, long to) throws IOException {
    if (to <= from) {
      return;
    }
    long size = ch.size();
    for (long s = from / SECTOR; s <= (to - 1) / SECTOR; s++) {
      st.lost.remove(s); // written again: the next force makes it durable
      if (st.saved.containsKey(s)) {
        continue;
      }
      long start = s * SECTOR;
      int n = (int) Math.max(0, Math.min(SECTOR, size - start));
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining()) {
        if (ch.read(buf, start + buf.position()) < 0) {
          break;
        }
      }
      st.saved.put(s, java.util.Arrays.copyOf(buf.array(), buf.position()));
    }
  }

  synchronized int write(Path file, FileChannel ch, ByteBuffer src, long pos) throws IOException {
    IOException fail = before(Op.WRITE, file);
    int len = src.remaining();
    int n = fail == null ? len : partialBytes(len);
    if (n > 0) {
      FileState st = state(file, ch);
      save(st, ch, pos, pos + n);
      ByteBuffer part = src.slice(src.position(), n);
      long at = pos;
      while (part.hasRemaining()) {
        at += ch.write(part, at);
      }
      src.position(src.position() + n);
    }
    if (fail != null) {
      throw fail;
    }
    return n;
  }

  /**
   * Makes the next force fail (whatever the plan), after running {@code meanwhile} at the moment
   * it fails (with the forced records in the page cache, where other processes see them).
   */
  synchronized void failNextForce(Runnable meanwhile) {
    nextForceFails = meanwhile;
  }

  void force(Path file, FileChannel ch) throws IOException {
    Runnable meanwhile;
    synchronized (this) {
      meanwhile = nextForceFails;
      nextForceFails = null;
    }
    if (meanwhile != null) {
      meanwhile.run(); // outside the monitor: it may use other stores on this file system
      synchronized (this) {
        counts.merge(Op.FORCE, 1L, Long::sum);
        triggered = Op.FORCE + " " + file;
        state(file, ch).lost.addAll(state(file, ch).saved.keySet());
      }
      throw new IOException("Input/output error (injected at a force of " + file + ")");
    }
    forceAsPlanned(file, ch);
  }

  private synchronized void forceAsPlanned(Path file, FileChannel ch) throws IOException {
    IOException fail = before(Op.FORCE, file);
    FileState st = state(file, ch);
    if (fail != null) {
      if (plan.partial()) {
        // the data reached the disk and the call failed all the same: the writer cannot know
        st.saved.keySet().retainAll(st.lost);
        st.durableSize = ch.size();
      }
      st.lost.addAll(st.saved.keySet());
      throw fail;
    }
    st.saved.keySet().retainAll(st.lost);
    st.durableSize = ch.size();
  }

  synchronized void truncate(Path file, FileChannel ch, long size) throws IOException {
    IOException fail = before(Op.TRUNCATE, file);
    if (fail != null && !plan.partial()) {
      throw fail;
    }
    FileState st = state(file, ch);
    save(st, ch, size, ch.size());
    ch.truncate(size);
    if (fail != null) {
      throw fail; // partial: the file was cut, and the call still failed
    }
  }

  @Override
  synchronized FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
    boolean creates =
        (options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW))
            && !Files.exists(file);
    if (creates) {
      IOException fail = before(Op.CREATE, file);
      if (fail != null) {
        throw fail;
      }
    }
    Set<OpenOption> real = new HashSet<>(options);
    if (real.contains(StandardOpenOption.WRITE)) {
      real.add(StandardOpenOption.READ); // to save what a write overwrites
    }
    FileChannel ch = FileChannel.open(file, real);
    if (creates) {
      files.put(file, new FileState(0));
      entries.add(new Entry(Op.CREATE, file, null, null));
    }
    return new Channel(this, file, ch);
  }

  @Override
  synchronized void syncDirectory(Path dir) throws IOException {
    IOException fail = before(Op.SYNC_DIR, dir);
    if (fail != null) {
      throw fail;
    }
    entries.removeIf(e -> dir.equals(e.path().getParent()));
  }

  @Override
  synchronized void replace(Path from, Path to) throws IOException {
    IOException fail = before(Op.RENAME, to);
    if (fail != null) {
      throw fail;
    }
    byte[] before = Files.exists(to) ? durableImage(to, to) : null;
    byte[] moved = durableImage(from, from);
    FileIo.SYSTEM.replace(from, to);
    files.remove(to);
    FileState st = files.remove(from);
    if (st != null) {
      files.put(to, st);
    }
    entries.add(new Entry(Op.RENAME, to, from, before));
    entries.add(new Entry(Op.CREATE, from, null, moved)); // undoing the rename brings it back
  }

  @Override
  synchronized boolean deleteIfExists(Path file) throws IOException {
    IOException fail = before(Op.DELETE, file);
    if (fail != null) {
      throw fail;
    }
    if (!Files.exists(file)) {
      return false;
    }
    byte[] image = durableImage(file, file);
    Files.delete(file);
    files.remove(file);
    entries.add(new Entry(Op.DELETE, file, null, image));
    return true;
  }

  /** The bytes {@code file} (now at {@code at}) would have after a power cut without tearing. */
  private byte[] durableImage(Path file, Path at) throws IOException {
    byte[] now = Files.readAllBytes(at);
    FileState st = files.get(file);
    if (st == null) {
      return now;
    }
    byte[] out = java.util.Arrays.copyOf(now, (int) Math.max(st.durableSize, now.length));
    for (Map.Entry<Long, byte[]> e : st.saved.entrySet()) {
      int start = (int) (e.getKey() * SECTOR);
      int end = (int) Math.min(out.length, start + SECTOR);
      for (int i = start; i < end; i++) {
        int j = i - start;
        out[i] = j < e.getValue().length ? e.getValue()[j] : 0;
      }
    }
    return java.util.Arrays.copyOf(out, (int) st.durableSize);
  }

  /**
   * Applies a power cut to the files, as they are under {@code from}, in the tree {@code to}
   * (the same directory, or a copy of it made after the store closed): every file back to its
   * durable state, every unsynced directory entry undone; {@code torn} keeps a random part of
   * what was not durable. Call it with every store on the directory closed.
   */
  synchronized void powerCut(Path from, Path to, SplittableRandom random, boolean torn) throws IOException {
    dead = true;
    for (Map.Entry<Path, FileState> e : files.entrySet()) {
      Path target = map(from, to, e.getKey());
      if (target == null || !Files.exists(target)) {
        continue;
      }
      cut(target, e.getValue(), random, torn);
    }
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      Path target = map(from, to, e.path());
      if (target == null || (torn && random.nextBoolean())) {
        continue; // the entry made it to the disk after all
      }
      switch (e.op()) {
        case CREATE -> {
          if (e.before() == null) {
            Files.deleteIfExists(target);
          } else {
            Files.write(target, e.before()); // a renamed file back under its old name
          }
        }
        case DELETE -> Files.write(target, e.before());
        case RENAME -> {
          if (e.before() == null) {
            Files.deleteIfExists(target);
          } else {
            Files.write(target, e.before());
          }
        }
        default -> throw new IllegalStateException(e.toString());
      }
    }
  }

  private static Path map(Path from, Path to, Path p) {
    if (!p.startsWith(from)) {
      return null;
    }
    return to.resolve(from.relativize(p).toString());
  }

  private static void cut(Path target, FileState st, SplittableRandom random, boolean torn) throws IOException {
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long current = ch.size();
      long length = st.durableSize;
      if (torn && current != st.durableSize) {
        long lo = Math.min(current, st.durableSize);
        long hi = Math.max(current, st.durableSize);
        length = lo + random.nextLong(hi - lo + 1);
      }
      for (Map.Entry<Long, byte[]> e : st.saved.entrySet()) {
        long s = e.getKey();
        if (torn && !st.lost.contains(s) && random.nextBoolean()) {
          continue; // this dirty sector reached the disk before the power went
        }
        ByteBuffer old = ByteBuffer.allocate(SECTOR);
        old.put(e.getValue());
        old.flip();
        old.limit(SECTOR); // zeros where the file did not reach
        long at = s * SECTOR;
        while (old.hasRemaining()) {
          at += ch.write(old, at);
        }
      }
      if (ch.size() > length) {
        ch.truncate(length);
      } else if (ch.size() < length) {
        ch.write(ByteBuffer.allocate(1), length - 1);
      }
    }
  }

  /** A channel whose changes go through the model and the plan; reads and locks go straight through. */
  private static final class Channel extends FileChannel {
    private final FaultyFileIo io;
    private final Path path;
    private final FileChannel real;

    Channel(FaultyFileIo io, Path path, FileChannel real) {
      this.io = io;
      this.path = path;
      this.real = real;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      long pos = real.position();
      int n = io.write(path, real, src, pos);
      real.position(pos + n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      int total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += srcs[i].remaining();
      }
      ByteBuffer all = ByteBuffer.allocate(total);
      for (int i = offset; i < offset + length; i++) {
        all.put(srcs[i].duplicate());
      }
      all.flip();
      long pos = real.position();
      int n;
      try {
        n = io.write(path, real, all, pos);
      } finally {
        // the sources advance by what was written, also when the write failed part-way
        int done = all.position();
        real.position(pos + done);
        for (int i = offset; i < offset + length && done > 0; i++) {
          int k = Math.min(done, srcs[i].remaining());
          srcs[i].position(srcs[i].position() + k);
          done -= k;
        }
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return io.write(path, real, src, position);
    }

    @Override
    public long position() throws IOException {
      return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      io.truncate(path, real, size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      io.force(path, real);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException("the file store does not transfer into files");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException("the file store does not map files");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      real.close();
    }
  }
}
