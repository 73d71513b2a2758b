package io.datahop.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Looks into a store's files byte by byte: what excision and retention promise to leave out. */
public final class StoreFiles {
  private StoreFiles() {}

  /** True when any file under {@code dir} holds the UTF-8 bytes of {@code text}. */
  public static boolean contain(Path dir, String text) throws IOException {
    // ISO-8859-1 maps each byte to one char, so a substring search is a byte search
    String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle)) return true;
      }
    }
    return false;
  }
}
