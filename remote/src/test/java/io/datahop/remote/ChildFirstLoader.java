package io.datahop.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads one class from {@code dir} before its parent does: a peer built with it runs another
 * build of that class, as a peer deployed from other sources would.
 */
final class ChildFirstLoader extends URLClassLoader {
  private final String className;

  ChildFirstLoader(Path dir, String className, ClassLoader parent) {
    super(new URL[] {url(dir)}, parent);
    this.className = className;
  }

  private static URL url(Path dir) {
    try {
      return dir.toUri().toURL();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.equals(className)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      return c != null ? c : findClass(name);
    }
  }

  @Override
  public URL getResource(String name) {
    URL own = name.equals(className.replace('.', '/') + ".class") ? findResource(name) : null;
    return own != null ? own : super.getResource(name);
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    URL url = getResource(name);
    try {
      return url == null ? null : url.openStream();
    } catch (IOException e) {
      return null;
    }
  }
}
