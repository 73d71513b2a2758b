package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
  static void replace(FileIo fs, Path target, byte[] bytes) throws IOException {
    Path tmp =
        target.resolveSibling(
            target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
    try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      try {
        fs.deleteIfExists(tmp);
      } catch (IOException | RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    fs.replace(tmp, target);
    fs.syncDirectory(target.getParent());
  }
}
