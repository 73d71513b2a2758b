package io.datahop.edn;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An unmodifiable map of a few entries in insertion order, looked up by a linear scan: what the
 * reader builds for an EDN map of up to {@link #MAX} keys. A bulk import reads hundreds of
 * thousands of entity maps of a handful of attributes each, and a LinkedHashMap behind an
 * unmodifiable wrapper costs a table, a linked node per entry and, at every iteration, a wrapper
 * per entry; here the entries are made once and iteration hands them out as they are.
 *
 * <p>Keys are distinct (the reader checks); keys and values may be {@code null} (EDN {@code
 * nil}). Equality and hash code are those of every {@link Map} ({@link AbstractMap}).
 */
final class SmallMap extends AbstractMap<Object, Object> {
  /** The most entries the reader puts in a SmallMap; bigger maps are hashed. */
  static final int MAX = 8;

  private final Node[] nodes;
  private Set<Map.Entry<Object, Object>> entrySet;

  /** Takes ownership of {@code nodes}, whose keys the caller made sure are distinct. */
  SmallMap(Node[] nodes) {
    this.nodes = nodes;
  }

  /** One immutable key/value pair. */
  static final class Node implements Map.Entry<Object, Object> {
    final Object key;
    final Object value;

    Node(Object key, Object value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public Object getKey() {
      return key;
    }

    @Override
    public Object getValue() {
      return value;
    }

    @Override
    public Object setValue(Object v) {
      throw new UnsupportedOperationException("an EDN map is unmodifiable");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(value, e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(key) ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  private int indexOf(Object key) {
    Node[] ns = nodes;
    for (int i = 0; i < ns.length; i++) {
      if (ns[i].key == key) return i; // keywords are interned: the usual hit
    }
    if (key == null) return -1;
    for (int i = 0; i < ns.length; i++) {
      if (key.equals(ns[i].key)) return i;
    }
    return -1;
  }

  @Override
  public int size() {
    return nodes.length;
  }

  @Override
  public boolean isEmpty() {
    return nodes.length == 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : nodes[i].value;
  }

  @Override
  public Object getOrDefault(Object key, Object defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : nodes[i].value;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public boolean containsValue(Object value) {
    for (Node n : nodes) {
      if (Objects.equals(value, n.value)) return true;
    }
    return false;
  }

  @Override
  public void forEach(java.util.function.BiConsumer<? super Object, ? super Object> action) {
    for (Node n : nodes) action.accept(n.key, n.value);
  }

  @Override
  public Set<Map.Entry<Object, Object>> entrySet() {
    Set<Map.Entry<Object, Object>> s = entrySet;
    return s != null ? s : (entrySet = new Entries());
  }

  private final class Entries extends AbstractSet<Map.Entry<Object, Object>> {
    @Override
    public Iterator<Map.Entry<Object, Object>> iterator() {
      return new Iterator<>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < nodes.length;
        }

        @Override
        public Map.Entry<Object, Object> next() {
          if (i >= nodes.length) throw new NoSuchElementException();
          return nodes[i++];
        }
      };
    }

    @Override
    public int size() {
      return nodes.length;
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Map.Entry<?, ?> e)) return false;
      int i = indexOf(e.getKey());
      return i >= 0 && Objects.equals(nodes[i].value, e.getValue());
    }
  }

  private static UnsupportedOperationException unmodifiable() {
    return new UnsupportedOperationException("an EDN map is unmodifiable");
  }

  @Override
  public Object put(Object key, Object value) {
    throw unmodifiable();
  }

  @Override
  public Object remove(Object key) {
    throw unmodifiable();
  }

  @Override
  public void putAll(Map<?, ?> m) {
    throw unmodifiable();
  }

  @Override
  public void clear() {
    throw unmodifiable();
  }

  @Override
  public void replaceAll(BiFunction<? super Object, ? super Object, ?> function) {
    throw unmodifiable();
  }

  @Override
  public Object putIfAbsent(Object key, Object value) {
    throw unmodifiable();
  }

  @Override
  public boolean remove(Object key, Object value) {
    throw unmodifiable();
  }

  @Override
  public boolean replace(Object key, Object oldValue, Object newValue) {
    throw unmodifiable();
  }

  @Override
  public Object replace(Object key, Object value) {
    throw unmodifiable();
  }

  @Override
  public Object computeIfAbsent(Object key, Function<? super Object, ?> f) {
    throw unmodifiable();
  }

  @Override
  public Object computeIfPresent(Object key, BiFunction<? super Object, ? super Object, ?> f) {
    throw unmodifiable();
  }

  @Override
  public Object compute(Object key, BiFunction<? super Object, ? super Object, ?> f) {
    throw unmodifiable();
  }

  @Override
  public Object merge(Object key, Object value, BiFunction<? super Object, ? super Object, ?> f) {
    throw unmodifiable();
  }
}
