package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Small files replaced atomically and durably: write a temporary file, fsync, rename, fsync dir. */
final class Durable {
  static final String TMP_SUFFIX = ".tmp";

  private Durable() {}

  /**
   * Replaces {@code target} with {@code bytes} so that a reader (or a reboot) sees the old file or
   * the new one, never a mix: rename is atomic, and both the data and the directory entry are synced
   * before this returns.
   */
  static void replace(Path target, byte[] bytes) throws IOException {
    Path tmp =
        target.resolveSibling(
            target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /** Makes the entries of {@code dir} (created, renamed files) survive a power loss. */
  static void syncDirectory(Path dir) throws IOException {
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
}
