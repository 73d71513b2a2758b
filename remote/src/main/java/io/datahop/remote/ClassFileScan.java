package io.datahop.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Decides from a class's class file, without loading the class, whether it could be allowed by
 * {@link RemoteScope}: the annotation's descriptor must appear in the class file of the class or
 * of its top-level class (where a nested class's annotation sits). A class a caller names is
 * loaded only if it passes, so no stranger can make this peer load (and link) arbitrary classes
 * of its class path. Conservative: what it lets through is checked again on the loaded class.
 */
final class ClassFileScan {
  private static final byte[] DESCRIPTOR = RemoteScope.class.descriptorString().getBytes(StandardCharsets.UTF_8);
  /** Java binary names of ASCII identifiers: nothing that could name a resource outside the class path. */
  private static final Pattern BINARY_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  /** Larger class files than this are not read (none of ours comes close). */
  private static final int MAX_CLASS_FILE = 4 << 20;

  private ClassFileScan() {}

  static boolean isBinaryName(String name) {
    return name.length() <= FrameCodec.MAX_IDENTITY && BINARY_NAME.matcher(name).matches();
  }

  /** Whether {@code name}'s class file, or its top-level class's, mentions {@link RemoteScope}. */
  static boolean mayBeRemoteScope(ClassLoader loader, String name) {
    if (mentions(loader, name)) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    int dollar = name.indexOf('$', dot + 1);
    return dollar > dot + 1 && mentions(loader, name.substring(0, dollar));
  }

  private static boolean mentions(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
      if (in == null) {
        return false;
      }
      byte[] bytes = in.readNBytes(MAX_CLASS_FILE);
      return indexOf(bytes, DESCRIPTOR) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
