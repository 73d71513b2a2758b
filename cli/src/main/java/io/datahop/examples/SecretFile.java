package io.datahop.examples;

import io.datahop.DatahopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/** A shared secret kept in a file: read (trailing whitespace dropped, at least 16 bytes) or made. */
public final class SecretFile {
  private SecretFile() {}

  /** The secret in {@code file}; a missing, unreadable or too short file is a clear error. */
  public static byte[] read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DatahopException.Incorrect("remote/secret-file", "cannot read the secret file " + file + ": " + e,
          Map.of("file", file.toString()), e);
    }
    int end = bytes.length;
    while (end > 0 && Character.isWhitespace(bytes[end - 1])) {
      end--;
    }
    if (end < 16) {
      throw new DatahopException.Incorrect("remote/secret-file", "the secret file " + file + " holds " + end
          + " bytes; a shared secret needs at least 16 (e.g. head -c 32 /dev/urandom | base64 > " + file + ")",
          Map.of("file", file.toString()), null);
    }
    return Arrays.copyOf(bytes, end);
  }

  /** Writes a fresh random secret (64 hex digits) to a new file readable by its owner only. */
  public static Path create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
    return file;
  }
}
