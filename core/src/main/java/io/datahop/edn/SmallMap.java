package io.datahop.edn;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An unmodifiable map of a few entries in insertion order, looked up by a linear scan: what the
 * reader builds for an EDN map of up to {@link #MAX} keys. A bulk import reads hundreds of
 * thousands of entity maps of a handful of attributes each, and a LinkedHashMap behind an
 * unmodifiable wrapper costs a table, a linked node per entry and, at every iteration, a wrapper
 * per entry; here keys and values sit in one array (the parser's own item buffer, copied once),
 * {@link #forEach} visits them without any entry object, and only the entry-set iterator makes
 * (immutable) entries, one per step.
 *
 * <p>Keys are distinct (the reader checks); keys and values may be {@code null} (EDN {@code
 * nil}). Equality and hash code are those of every {@link Map} ({@link AbstractMap}).
 */
final class SmallMap extends AbstractMap<Object, Object> {
  /** The most entries the reader puts in a SmallMap; bigger maps are hashed. */
  static final int MAX = 8;

  /** Keys at even, values at odd indexes. */
  private final Object[] kv;

  /** Takes ownership of {@code kv} (key, value, key, value…), whose keys the caller made sure are distinct. */
  SmallMap(Object[] kv) {
    this.kv = kv;
  }

  private int indexOf(Object key) {
    Object[] a = kv;
    for (int i = 0; i < a.length; i += 2) {
      if (a[i] == key) return i; // keywords are interned: the usual hit
    }
    if (key == null) return -1;
    for (int i = 0; i < a.length; i += 2) {
      if (key.equals(a[i])) return i;
    }
    return -1;
  }

  @Override
  public int size() {
    return kv.length >> 1;
  }

  @Override
  public boolean isEmpty() {
    return kv.length == 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : kv[i + 1];
  }

  @Override
  public Object getOrDefault(Object key, Object defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : kv[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public boolean containsValue(Object value) {
    for (int i = 1; i < kv.length; i += 2) {
      if (Objects.equals(value, kv[i])) return true;
    }
    return false;
  }

  /** Visits the entries in order without making an entry object for each (the bulk-import path). */
  @Override
  public void forEach(BiConsumer<? super Object, ? super Object> action) {
    Object[] a = kv;
    for (int i = 0; i < a.length; i += 2) action.accept(a[i], a[i + 1]);
  }

  @Override
  public Set<Map.Entry<Object, Object>> entrySet() {
    return new Entries(); // not cached: a field would cost every map of a bulk import 8 bytes
  }

  private final class Entries extends AbstractSet<Map.Entry<Object, Object>> {
    @Override
    public Iterator<Map.Entry<Object, Object>> iterator() {
      return new Iterator<>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < kv.length;
        }

        @Override
        public Map.Entry<Object, Object> next() {
          if (i >= kv.length) throw new NoSuchElementException();
          Map.Entry<Object, Object> e = new AbstractMap.SimpleImmutableEntry<>(kv[i], kv[i + 1]);
          i += 2;
          return e;
        }
      };
    }

    @Override
    public int size() {
      return kv.length >> 1;
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Map.Entry<?, ?> e)) return false;
      int i = indexOf(e.getKey());
      return i >= 0 && Objects.equals(kv[i + 1], e.getValue());
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
