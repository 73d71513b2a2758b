package io.datahop.edn;

import java.util.Objects;

/**
 * An EDN symbol such as {@code ?e}, {@code count} or {@code clojure.core/str}. Symbols are
 * values: equal text, equal symbol.
 */
public record Symbol(String namespace, String name) implements Comparable<Symbol> {
  public Symbol {
    Objects.requireNonNull(name, "name");
  }

  /** Parses {@code "ns/name"} or {@code "name"}. */
  public static Symbol of(String text) {
    int slash = text.indexOf('/');
    return slash > 0 && slash < text.length() - 1
        ? new Symbol(text.substring(0, slash), text.substring(slash + 1))
        : new Symbol(null, text);
  }

  /** The symbol text, with its namespace. */
  public String text() {
    return namespace == null ? name : namespace + "/" + name;
  }

  @Override
  public int compareTo(Symbol o) {
    return text().compareTo(o.text());
  }

  @Override
  public String toString() {
    return text();
  }
}
