package io.datahop.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a class's class-file bytes, as found by its class loader. Two peers whose capturing
 * classes have the same fingerprint compiled the same body; a peer with other code refuses the
 * call instead of running something else. Computed once per class.
 */
final class ClassFingerprints {
  private static final ClassValue<byte[]> CACHE =
      new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
          return compute(type);
        }
      };

  private ClassFingerprints() {}

  static byte[] of(Class<?> type) {
    return CACHE.get(type);
  }

  static String hex(byte[] fingerprint) {
    return HexFormat.of().formatHex(fingerprint, 0, Math.min(6, fingerprint.length));
  }

  private static byte[] compute(Class<?> type) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
    String name = type.getName();
    String resource = name.substring(name.lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in != null) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
        return sha.digest();
      }
    } catch (IOException e) {
      // fall through: a class whose bytes cannot be read is identified by its name only
    }
    // a generated class has no class file; its name is all both sides can compare
    return sha.digest(("no-class-file:" + name).getBytes(StandardCharsets.UTF_8));
  }
}
