package io.datahop.store;

import java.io.IOException;
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
  static DirLock acquire(Path lockFile) throws IOException {
    ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
