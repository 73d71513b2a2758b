package io.datahop.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock that says "someone still appends to this pack": a file {@code <pack>.lock} whose OS
 * lock the writing instance holds from before the pack exists until it closes. A compactor may
 * rewrite a pack only while it holds that lock itself.
 *
 * <p>OS locks belong to a process, and closing any descriptor of a file drops the process's locks
 * on it. So packs written in this JVM are also kept in {@link #HERE}, and a compactor never even
 * opens their lock files.
 */
final class WriterLock implements AutoCloseable {
  static final String SUFFIX = ".lock";
  private static final Set<Path> HERE = ConcurrentHashMap.newKeySet();

  private final FileIo fs;
  private final Path pack;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean writer;

  private WriterLock(FileIo fs, Path pack, Path file, FileChannel channel, FileLock lock, boolean writer) {
    this.fs = fs;
    this.pack = pack;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.writer = writer;
  }

  static Path fileOf(Path pack) {
    return pack.resolveSibling(pack.getFileName() + SUFFIX);
  }

  /** Taken by the writer, before it creates {@code pack}. */
  static WriterLock acquire(FileIo fs, Path pack) throws IOException {
    Path file = fileOf(pack);
    HERE.add(pack);
    FileChannel ch = null;
    try {
      ch = fs.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new WriterLock(fs, pack, file, ch, ch.lock(), true);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      HERE.remove(pack);
      throw e;
    }
  }

  /** True when an instance in this JVM writes {@code pack}. */
  static boolean heldHere(Path pack) {
    return HERE.contains(pack);
  }

  /** Taken by a compactor; null when the pack's writer is still alive. */
  static WriterLock tryAcquire(FileIo fs, Path pack) throws IOException {
    Path file = fileOf(pack);
    FileChannel ch = fs.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        return null;
      }
      return new WriterLock(fs, pack, file, ch, lock, false);
    } catch (OverlappingFileLockException e) {
      ch.close();
      return null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Removes the lock file (after its pack is gone). */
  void deleteFile() throws IOException {
    fs.deleteIfExists(file);
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      if (writer) {
        HERE.remove(pack);
      }
    }
  }
}
