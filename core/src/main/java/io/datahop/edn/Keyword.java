package io.datahop.edn;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN keyword such as {@code :person/name}. Keywords are interned, so {@code ==} works and
 * they are cheap as map keys; the namespace is {@code null} when absent.
 */
public final class Keyword implements Comparable<Keyword> {
  private static final ConcurrentHashMap<String, Keyword> INTERNED = new ConcurrentHashMap<>();

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
    Keyword k = INTERNED.get(t);
    if (k != null) {
      return k;
    }
    int slash = t.indexOf('/');
    // "/" alone is a valid name; a leading or trailing slash otherwise is not a namespace split
    Keyword fresh =
        slash > 0 && slash < t.length() - 1
            ? new Keyword(t.substring(0, slash), t.substring(slash + 1))
            : new Keyword(null, t);
    Keyword prior = INTERNED.putIfAbsent(t, fresh);
    return prior == null ? fresh : prior;
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
