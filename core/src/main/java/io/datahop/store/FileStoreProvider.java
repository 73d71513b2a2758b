package io.datahop.store;

import io.datahop.DatahopException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Opens {@code file:/path} (also {@code file:///path} and {@code file:relative/path}) stores. */
final class FileStoreProvider implements StoreProvider {
  private static final String PREFIX = "file:";

  @Override
  public boolean accepts(String uri) {
    return uri.startsWith(PREFIX);
  }

  @Override
  public Store open(String uri, boolean create) {
    return FileStore.open(path(uri), create);
  }

  @Override
  public boolean exists(String uri) {
    return FileStore.exists(path(uri));
  }

  @Override
  public void delete(String uri) {
    FileStore.delete(path(uri));
  }

  @Override
  public String describe() {
    return "file:/path/to/dir";
  }

  @Override
  public Optional<String> canonical(String uri) {
    return Optional.of(PREFIX + path(uri));
  }

  /** The absolute, normalized directory a {@code file:} URI names. */
  static Path path(String uri) {
    String rest = uri.substring(PREFIX.length());
    try {
      Path path = rest.startsWith("//") ? Path.of(URI.create(uri)) : Path.of(rest);
      if (rest.isEmpty()) {
        throw new IllegalArgumentException("empty path");
      }
      return path.toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new DatahopException.Incorrect(
          "store/bad-uri",
          "not a file store URI: '" + uri + "' (expected file:/path/to/dir): " + e.getMessage(),
          Map.of("uri", uri),
          e);
    }
  }
}
