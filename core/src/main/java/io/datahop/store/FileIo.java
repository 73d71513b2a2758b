package io.datahop.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every way a {@link FileStore} changes its directory: opening channels (whose writes, forces and
 * truncations go to the file), syncing a directory, renaming and deleting files. The store does
 * nothing else to the file system after creating its directories, so a test can put a faulty file
 * system underneath (failed or torn writes, a full disk, a power cut that loses what was not
 * forced) by substituting this for one directory: {@link #substitute}.
 */
class FileIo {
  /** The real file system. */
  static final FileIo SYSTEM = new FileIo();

  /** Substitutes by store directory (absolute, normalized); empty outside fault-injection tests. */
  private static final Map<Path, FileIo> SUBSTITUTES = new ConcurrentHashMap<>();

  FileIo() {}

  FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
    return FileChannel.open(file, options);
  }

  final FileChannel open(Path file, OpenOption... options) throws IOException {
    return open(file, Set.of(options));
  }

  /** Makes the entries of {@code dir} (created, renamed, deleted files) survive a power loss. */
  void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; there the rename itself is the best we can do.
      if (System.getProperty("os.name", "").toLowerCase().contains("win")) {
        return;
      }
      throw e;
    }
  }

  /** Renames {@code from} over {@code to} atomically (not durable before {@link #syncDirectory}). */
  void replace(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes {@code file} if it exists (not durable before {@link #syncDirectory}). */
  boolean deleteIfExists(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  /** The file system the store in {@code dir} uses: {@link #SYSTEM} unless a test substituted one. */
  static FileIo of(Path dir) {
    if (SUBSTITUTES.isEmpty()) {
      return SYSTEM;
    }
    return SUBSTITUTES.getOrDefault(dir.toAbsolutePath().normalize(), SYSTEM);
  }

  /**
   * Makes stores opened in {@code dir} from now on use {@code io} (for tests), until the returned
   * handle is closed. Stores already open keep the one they opened with.
   */
  static AutoCloseable substitute(Path dir, FileIo io) {
    Path key = dir.toAbsolutePath().normalize();
    if (SUBSTITUTES.putIfAbsent(key, io) != null) {
      throw new IllegalStateException("a file system is already substituted for " + key);
    }
    return () -> SUBSTITUTES.remove(key, io);
  }
}
