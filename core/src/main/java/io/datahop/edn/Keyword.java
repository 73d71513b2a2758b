package io.datahop.edn;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN keyword such as {@code :person/name}. Keywords are interned, so {@code ==} works and
 * they are cheap as map keys; the namespace is {@code null} when absent.
 */
public final class Keyword implements Comparable<Keyword> {
  /*
   * Interned weakly, as Clojure does: keywords arrive from untrusted EDN and wire frames, and a
   * strong table would let a peer grow this process's memory without bound with distinct names.
   * A keyword lives while something refers to it; == holds because a live keyword is always the
   * one the table returns.
   */
  private static final ConcurrentHashMap<String, Ref> INTERNED = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Keyword> CLEARED = new ReferenceQueue<>();

  private static final class Ref extends WeakReference<Keyword> {
    final String key;

    Ref(Keyword k, String key) {
      super(k, CLEARED);
      this.key = key;
    }
  }

  private final String namespace;
  private final String name;
  private final String text;

  private Keyword(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
    this.text = namespace == null ? name : namespace + "/" + name;
  }

  /** {@code Keyword.of("person/name")}, {@code Keyword.of(":person/name")} or {@code of("a")}. */
  public static Keyword of(String text) {
    Objects.requireNonNull(text, "keyword text");
    String t = text.startsWith(":") ? text.substring(1) : text;
    Ref r = INTERNED.get(t);
    if (r != null) {
      Keyword k = r.get();
      if (k != null) {
        return k;
      }
    }
    return intern(t);
  }

  private static Keyword intern(String t) {
    for (Reference<? extends Keyword> c; (c = CLEARED.poll()) != null; ) {
      Ref cleared = (Ref) c;
      INTERNED.remove(cleared.key, cleared);
    }
    int slash = t.indexOf('/');
    // "/" alone is a valid name; a leading or trailing slash otherwise is not a namespace split
    Keyword fresh =
        slash > 0 && slash < t.length() - 1
            ? new Keyword(t.substring(0, slash), t.substring(slash + 1))
            : new Keyword(null, t);
    while (true) {
      Ref prior = INTERNED.putIfAbsent(t, new Ref(fresh, t));
      if (prior == null) {
        return fresh;
      }
      Keyword k = prior.get();
      if (k != null) {
        return k;
      }
      INTERNED.remove(t, prior); // collected meanwhile: replace it
    }
  }

  /** {@code Keyword.of("person", "name")} is {@code :person/name}. */
  public static Keyword of(String namespace, String name) {
    return of(namespace == null ? name : namespace + "/" + name);
  }

  /** The namespace, or {@code null}. */
  public String namespace() {
    return namespace;
  }

  /** The name after the slash (or the whole text without a namespace). */
  public String name() {
    return name;
  }

  /** The text without the colon: {@code person/name}. */
  public String text() {
    return text;
  }

  @Override
  public int compareTo(Keyword o) {
    return text.compareTo(o.text);
  }

  @Override
  public String toString() {
    return ":" + text;
  }
}
