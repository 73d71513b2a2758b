package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a store directory, held by one thread of one process at a time.
 *
 * <p>Two layers, because an OS file lock is per process: a {@link ReentrantLock} per lock file
 * orders the threads (and the several {@link FileStore}s) of this JVM, then {@link
 * FileChannel#lock()} orders the processes. The channel is opened only while the lock is held:
 * POSIX drops every lock a process holds on a file when any descriptor of that file is closed, so
 * a long-lived channel in one store would be released by another store's {@code close()}.
 */
final class DirLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until this thread holds the lock on {@code lockFile} (created if absent). */
  static DirLock acquire(FileIo fs, Path lockFile) throws IOException {
    ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      channel = fs.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = lockUninterruptibly(channel);
      return new DirLock(local, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  /**
   * The gc generation kept in the lock file (its first 8 bytes, big-endian; 0 while it is
   * shorter), read under the lock.
   */
  long gcGeneration() throws IOException {
    return readGeneration(channel);
  }

  /** Replaces the gc generation; only a sweep calls it, under the lock, after its deletes. */
  void setGcGeneration(long generation) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES).putLong(0, generation);
    while (b.hasRemaining()) {
      channel.write(b, b.position());
    }
  }

  /**
   * The gc generation of {@code lockFile} read without the lock: it may be a sweep behind, which
   * only makes a compare-and-set fail once (the store's generation rule).
   */
  static long peekGcGeneration(Path lockFile) throws IOException {
    try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.READ)) {
      return readGeneration(c);
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    }
  }

  private static long readGeneration(FileChannel c) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
    while (b.hasRemaining()) {
      if (c.read(b, b.position()) < 0) {
        return 0;
      }
    }
    return b.getLong(0);
  }

  private static FileLock lockUninterruptibly(FileChannel channel) throws IOException {
    return channel.lock();
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
