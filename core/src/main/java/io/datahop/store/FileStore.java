package io.datahop.store;

import io.datahop.DatahopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A store in a directory ({@code file:/path}), the embedded default. Any number of processes
 * (and instances in one process) may open one directory at once.
 *
 * <h2>Guarantees and how they are kept</h2>
 *
 * <ul>
 *   <li><b>No torn reads.</b> Blobs are appended to pack files and every read checks the SHA-256
 *       address; heads are head records in the same packs, each with every head, a version
 *       number and checksums, and a reader uses the newest valid one.
 *   <li><b>One sync per commit.</b> Puts are plain appends; {@link #compareAndSetHead} appends a
 *       head record after them to this instance's pack and forces that pack once: blobs and head
 *       in one device flush. A checksum over the records since the previous head record makes a
 *       head record whose blobs did not all reach the disk (a power cut during that flush)
 *       invalid, so the previous head stands.
 *   <li><b>Linearizable heads.</b> A compare-and-set takes the directory lock ({@link DirLock}:
 *       in-process lock, then an OS file lock), rescans the packs for newer head records under
 *       it, and writes and syncs the next version before unlocking.
 *   <li><b>Crash safety.</b> A process killed at any instant leaves at most a torn last record in
 *       its own pack, which scanners ignore; a head record written but not synced by a process
 *       that died is forced by the next committer before it builds on it.
 *   <li><b>Fail-stop.</b> After a failed write, force or truncate this instance writes nothing
 *       more: every later put, commit, delete and compaction fails with {@code store/io-failed}
 *       naming the file and the cause (reads go on), and a head record whose force failed is
 *       retracted, its seq never used again. A new instance recovers the last durable state.
 * </ul>
 *
 * <p>The on-disk layout is specified in {@code docs/format.md}, section "File store layout".
 */
public final class FileStore implements Store {
  static final String ID_FILE = "store-id";
  static final String HEADS_FILE = "heads";
  static final String LOCK_FILE = "lock";
  static final String PACKS_DIR = "packs";
  private static final String ID_MAGIC = "datahop-file-store 1";

  private final Path dir;
  private final String locator;
  private final StoreId id;
  private final FileIo fs;
  private final PackSet blobs;
  private volatile boolean closed;
  /** The newest gc generation seen here; read under the lock at every compare-and-set. */
  private volatile long gcGeneration;

  private FileStore(Path dir, StoreId id, FileIo fs) throws IOException {
    this.dir = dir;
    this.locator = "file:" + dir;
    this.id = id;
    this.fs = fs;
    this.blobs = new PackSet(fs, dir.resolve(PACKS_DIR), locator, legacyHeads(dir));
    this.gcGeneration = DirLock.peekGcGeneration(dir.resolve(LOCK_FILE));
  }

  /**
   * The heads of a store written before heads moved into the packs (format 2 heads file), the
   * starting point that head records of the packs supersede; version 0 without heads when absent.
   */
  private static PackSet.HeadState legacyHeads(Path dir) throws IOException {
    if (!Files.exists(dir.resolve(HEADS_FILE))) {
      return new PackSet.HeadState(0, Map.of(), null);
    }
    HeadsFile.Version v = HeadsFile.read(dir.resolve(HEADS_FILE));
    return new PackSet.HeadState(v.seq(), v.heads(), null);
  }

  /**
   * Opens the store in {@code dir}; when it does not exist and {@code create} is true, creates the
   * directory (and parents) and a new store id.
   */
  public static FileStore open(Path dir, boolean create) {
    Path abs = dir.toAbsolutePath().normalize();
    return open(abs, create, FileIo.of(abs));
  }

  /** Opens the store in {@code dir} on the file system {@code fs} (a faulty one in tests). */
  static FileStore open(Path dir, boolean create, FileIo fs) {
    Path abs = dir.toAbsolutePath().normalize();
    String locator = "file:" + abs;
    try {
      Optional<StoreId> id = readId(abs);
      if (id.isEmpty()) {
        if (!create) {
          throw StoreErrors.noStore(locator);
        }
        id = Optional.of(create(abs, fs));
      }
      return new FileStore(abs, id.get(), fs);
    } catch (IOException e) {
      throw StoreErrors.io(locator, "opening", e);
    }
  }

  /** True when {@code dir} holds a store (its id file). */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(ID_FILE));
  }

  /**
   * Deletes the store in {@code dir}: only the files a store consists of, then the directory if it
   * is empty. A directory without a store is left alone.
   */
  public static void delete(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!exists(abs)) {
      return;
    }
    try {
      Path packs = abs.resolve(PACKS_DIR);
      if (Files.isDirectory(packs)) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(packs, "*{" + Pack.SUFFIX + "," + WriterLock.SUFFIX + "}")) {
          for (Path f : files) {
            Files.deleteIfExists(f);
          }
        }
        deleteIfEmpty(packs);
      }
      try (DirectoryStream<Path> tmps = Files.newDirectoryStream(abs, "*" + Durable.TMP_SUFFIX)) {
        for (Path tmp : tmps) {
          Files.deleteIfExists(tmp);
        }
      }
      Files.deleteIfExists(abs.resolve(HEADS_FILE));
      Files.deleteIfExists(abs.resolve(LOCK_FILE));
      Files.deleteIfExists(abs.resolve(ID_FILE));
      deleteIfEmpty(abs);
    } catch (IOException e) {
      throw StoreErrors.io("file:" + abs, "deleting the store", e);
    }
  }

  /** The directory of this store. */
  public Path directory() {
    return dir;
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public String locator() {
    return locator;
  }

  @Override
  public Address put(byte[] blob) {
    checkOpen();
    return blobs.put(blob, 0, blob.length);
  }

  @Override
  public Address put(byte[] buf, int off, int len) {
    checkOpen();
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    return blobs.put(buf, off, len);
  }

  @Override
  public byte[] get(Address address) {
    checkOpen();
    return blobs.get(address);
  }

  @Override
  public boolean contains(Address address) {
    checkOpen();
    return blobs.contains(address);
  }

  @Override
  public Optional<Address> head(String name) {
    StoreErrors.checkHeadName(name);
    checkOpen();
    return Optional.ofNullable(readHeads().get(name));
  }

  @Override
  public Set<String> heads() {
    checkOpen();
    return new TreeSet<>(readHeads().keySet());
  }

  @Override
  public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) {
    StoreErrors.checkHeadName(name);
    if (next == null) {
      throw new DatahopException.Incorrect("store/bad-head", "the new head of '" + name + "' is null");
    }
    checkOpen();
    blobs.checkWritable();
    try (DirLock lock = DirLock.acquire(fs, dir.resolve(LOCK_FILE))) {
      long now = lock.gcGeneration();
      this.gcGeneration = now;
      if (gcGeneration != ANY_GC_GENERATION && now != gcGeneration) {
        return false; // a sweep may have deleted a blob this commit names: it is built again
      }
      PackSet.HeadState version = blobs.currentHeads();
      Address current = version.heads().get(name);
      if (current == null ? expected != null : !current.equals(expected)) {
        return false;
      }
      Map<String, Address> heads = new TreeMap<>(version.heads());
      heads.put(name, next);
      blobs.writeHeads(version, heads);
      return true;
    } catch (IOException e) {
      throw StoreErrors.io(locator, "setting head '" + name + "'", e);
    }
  }

  @Override
  public long gcGeneration() {
    return gcGeneration;
  }

  /**
   * Under the directory lock: the heads are read after a rescan, the plan's blobs are marked
   * deleted in every pack holding a copy, and the generation in the lock file is advanced before
   * the lock is released. The marks are not synced: a lost mark only leaves garbage behind.
   */
  @Override
  public long sweep(Function<Map<String, Address>, Collection<Address>> plan) {
    checkOpen();
    blobs.checkWritable();
    try (DirLock lock = DirLock.acquire(fs, dir.resolve(LOCK_FILE))) {
      long deleted = 0;
      for (Address a : plan.apply(blobs.currentHeads().heads())) {
        if (blobs.delete(a)) {
          deleted++;
        }
      }
      if (deleted > 0) {
        long next = lock.gcGeneration() + 1;
        try {
          lock.setGcGeneration(next);
        } catch (IOException e) {
          throw blobs.poisoned("writing the gc generation to", dir.resolve(LOCK_FILE), e);
        }
        this.gcGeneration = next;
      }
      return deleted;
    } catch (IOException e) {
      throw StoreErrors.io(locator, "sweeping", e);
    }
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    checkOpen();
    blobs.forEachAddress(sink);
  }

  /**
   * Rewrites every pack whose writer has closed (or died) and that is at least half deleted
   * records, keeping the live ones, then removes it. Packs still being written are left alone.
   */
  @Override
  public long compact() {
    return compact(false);
  }

  /** With {@code everyDeletedRecord}, packs with any deleted record are rewritten (scrubbed). */
  @Override
  public long compact(boolean everyDeletedRecord) {
    checkOpen();
    blobs.checkWritable();
    // the lock for the whole compaction: it rewrites the heads under it, and the lock is always
    // taken before the pack set's monitor (a commit holds the lock and then rescans)
    try (DirLock lock = DirLock.acquire(fs, dir.resolve(LOCK_FILE))) {
      return blobs.compact(() -> {
        PackSet.HeadState current = blobs.currentHeads();
        blobs.writeHeads(current, current.heads());
      }, everyDeletedRecord);
    } catch (IOException e) {
      throw StoreErrors.io(locator, "compacting", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      blobs.close();
    } catch (IOException e) {
      throw StoreErrors.io(locator, "closing", e);
    }
  }

  @Override
  public String toString() {
    return "FileStore[" + locator + ", " + id + "]";
  }

  private Map<String, Address> readHeads() {
    try {
      return blobs.currentHeads().heads();
    } catch (IOException e) {
      throw StoreErrors.io(locator, "reading heads", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new DatahopException.Incorrect(
          "store/closed", "store " + locator + " is closed", Map.of("store", locator), null);
    }
  }

  private static Optional<StoreId> readId(Path dir) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(ID_FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] lines = text.split("\n");
    if (lines.length < 2 || !lines[0].equals(ID_MAGIC)) {
      throw new DatahopException.Fault(
          "store/bad-format",
          dir.resolve(ID_FILE) + " is not a datahop file store id (expected '" + ID_MAGIC + "')",
          Map.of("store", "file:" + dir),
          null);
    }
    try {
      return Optional.of(StoreId.parse(lines[1].trim()));
    } catch (IllegalArgumentException e) {
      throw new DatahopException.Fault(
          "store/bad-format", dir.resolve(ID_FILE) + " holds no store id", Map.of("store", "file:" + dir), e);
    }
  }

  /** Creates the layout; under the lock, so two processes creating one store agree on its id. */
  private static StoreId create(Path dir, FileIo fs) throws IOException {
    Files.createDirectories(dir.resolve(PACKS_DIR));
    try (DirLock lock = DirLock.acquire(fs, dir.resolve(LOCK_FILE))) {
      Optional<StoreId> existing = readId(dir);
      if (existing.isPresent()) {
        return existing.get();
      }
      StoreId id = StoreId.random();
      fs.syncDirectory(dir.resolve(PACKS_DIR));
      // heads live in the packs (head records); a heads file is only read from older stores
      fs.deleteIfExists(dir.resolve(HEADS_FILE));
      Durable.replace(fs, dir.resolve(ID_FILE), (ID_MAGIC + "\n" + id + "\n").getBytes(StandardCharsets.UTF_8));
      Path parent = dir.getParent();
      if (parent != null) {
        fs.syncDirectory(parent);
      }
      return id;
    }
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      if (entries.iterator().hasNext()) {
        return;
      }
    }
    Files.deleteIfExists(dir);
  }
}
