package io.datahop.db;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An insertion-ordered map for the few values one (entity, attribute) has in a transaction:
 * parallel arrays searched linearly, with a hash index only once it grows past 8 entries. Most
 * slots hold one value, where a LinkedHashMap would cost four objects. No removal.
 */
final class SmallMap<K, V> extends AbstractMap<K, V> {
  private Object[] keys = new Object[2];
  private Object[] vals = new Object[2];
  private int n;
  private HashMap<K, Integer> index;

  private int find(Object k) {
    if (index != null) {
      Integer i = index.get(k);
      return i == null ? -1 : i;
    }
    for (int i = 0; i < n; i++) if (keys[i].equals(k)) return i;
    return -1;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object k) {
    int i = find(k);
    return i < 0 ? null : (V) vals[i];
  }

  @Override
  public boolean containsKey(Object k) {
    return find(k) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V put(K k, V v) {
    int i = find(k);
    if (i >= 0) {
      V old = (V) vals[i];
      vals[i] = v;
      return old;
    }
    if (n == keys.length) {
      keys = java.util.Arrays.copyOf(keys, n * 2);
      vals = java.util.Arrays.copyOf(vals, n * 2);
    }
    keys[n] = k;
    vals[n] = v;
    if (index != null) {
      index.put(k, n);
    } else if (n >= 8) {
      index = new HashMap<>();
      for (int j = 0; j <= n; j++) index.put((K) keys[j], j);
    }
    n++;
    return null;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<K, V> next() {
            if (i >= n) throw new NoSuchElementException();
            int at = i++;
            return new AbstractMap.SimpleEntry<>((K) keys[at], (V) vals[at]) {
              @Override
              public V setValue(V value) {
                vals[at] = value;
                return super.setValue(value);
              }
            };
          }
        };
      }

      @Override
      public int size() {
        return n;
      }
    };
  }
}
