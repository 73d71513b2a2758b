package io.datahop.testkit;

import io.datahop.db.Datom;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Seeded random EDN/wire values for round-trip tests, and a deep equality that tells a vector from
 * an {@link EdnList} and compares {@code byte[]} by content. Values nest up to a given depth; map
 * keys and set elements are hashable scalars or small vectors.
 */
public final class RandomValues {
  private final RandomGenerator rnd;
  private final boolean bytes;

  /**
   * @param rnd the seeded source
   * @param bytes whether {@code byte[]} values may appear (EDN prints them as {@code #bytes})
   */
  public RandomValues(RandomGenerator rnd, boolean bytes) {
    this.rnd = rnd;
    this.bytes = bytes;
  }

  /** The seed to use: the system property {@code name} when set (to replay), else {@code dflt}. */
  public static long seed(String name, long dflt) {
    String s = System.getProperty(name);
    return s == null ? dflt : Long.parseLong(s);
  }

  /** Any value, collections nested at most {@code depth} deep. */
  public Object value(int depth) {
    int pick = rnd.nextInt(depth > 0 ? 20 : 15);
    return switch (pick) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2 -> randomLong();
      case 3 -> randomDouble();
      case 4 -> new BigInteger(rnd.nextInt(1, 200), new java.util.Random(rnd.nextLong()))
          .multiply(BigInteger.valueOf(rnd.nextBoolean() ? 1 : -1));
      case 5 -> new BigDecimal(BigInteger.valueOf(rnd.nextLong()), rnd.nextInt(-20, 20));
      case 6, 7 -> string(rnd.nextInt(0, 30));
      case 8 -> (char) rnd.nextInt(0, 0x10000);
      case 9 -> keyword();
      case 10 -> symbol();
      case 11 -> new UUID(rnd.nextLong(), rnd.nextLong());
      case 12 -> Instant.ofEpochSecond(rnd.nextLong(-62_000_000_000L, 253_000_000_000L), rnd.nextInt(1_000_000_000));
      case 13 -> bytes ? randomBytes() : (Object) string(3);
      case 14 -> new Datom(rnd.nextLong(), rnd.nextLong(), scalar(), rnd.nextLong(), rnd.nextBoolean());
      case 15 -> vector(depth);
      case 16 -> EdnList.copyOf(items(depth));
      case 17, 18 -> map(depth);
      default -> set();
    };
  }

  /** A hashable scalar (usable as a map key or set element). */
  public Object scalar() {
    return switch (rnd.nextInt(10)) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2 -> randomLong();
      case 3 -> randomDouble();
      case 4 -> string(rnd.nextInt(12));
      case 5 -> keyword();
      case 6 -> symbol();
      case 7 -> new UUID(rnd.nextLong(), rnd.nextLong());
      case 8 -> BigInteger.valueOf(rnd.nextLong()).shiftLeft(rnd.nextInt(70));
      default -> (char) rnd.nextInt(32, 0xd000);
    };
  }

  private long randomLong() {
    return switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextLong();
      case 1 -> rnd.nextLong(-100, 100);
      case 2 -> rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      default -> rnd.nextLong(-1L << 40, 1L << 40);
    };
  }

  private double randomDouble() {
    return switch (rnd.nextInt(4)) {
      case 0 -> Double.longBitsToDouble(rnd.nextLong());
      case 1 -> rnd.nextDouble() * 1000;
      case 2 -> new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, 1e10, 1e-10}[rnd.nextInt(9)];
      default -> (double) rnd.nextInt(-1000, 1000);
    };
  }

  private byte[] randomBytes() {
    byte[] b = new byte[rnd.nextInt(0, 40)];
    rnd.nextBytes(b);
    return b;
  }

  /** A string of random code units, including controls, quotes, backslashes and surrogates. */
  public String string(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(
          switch (rnd.nextInt(6)) {
            case 0 -> (char) rnd.nextInt(0, 0x20);
            case 1 -> "\"\\;#{}[]() ,".charAt(rnd.nextInt(12));
            case 2 -> (char) rnd.nextInt(0x80, 0x10000);
            default -> (char) rnd.nextInt('a', 'z' + 1);
          });
    }
    return sb.toString();
  }

  private String name() {
    String first = "abcdefghijklmnopqrstuvwxyzABCXYZ";
    String rest = "abcdefghijklmnopqrstuvwxyz0123456789*+!-_?<>=.";
    StringBuilder sb = new StringBuilder();
    sb.append(first.charAt(rnd.nextInt(first.length())));
    int n = rnd.nextInt(0, 10);
    for (int i = 0; i < n; i++) {
      sb.append(rest.charAt(rnd.nextInt(rest.length())));
    }
    return sb.toString();
  }

  private Keyword keyword() {
    return rnd.nextBoolean() ? Keyword.of(name()) : Keyword.of(name(), name());
  }

  private Symbol symbol() {
    return new Symbol(rnd.nextBoolean() ? null : name(), name());
  }

  private List<Object> items(int depth) {
    int n = rnd.nextInt(0, 6);
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(value(depth - 1));
    }
    return l;
  }

  private List<Object> vector(int depth) {
    return Collections.unmodifiableList(items(depth));
  }

  private Map<Object, Object> map(int depth) {
    Map<Object, Object> m = new LinkedHashMap<>();
    int n = rnd.nextInt(0, 6);
    for (int i = 0; i < n; i++) {
      Object k = rnd.nextInt(5) == 0 ? List.of(keyword(), randomLong()) : scalar();
      m.put(k, value(depth - 1));
    }
    return Collections.unmodifiableMap(m);
  }

  private Set<Object> set() {
    Set<Object> s = new LinkedHashSet<>();
    int n = rnd.nextInt(0, 6);
    for (int i = 0; i < n; i++) {
      s.add(scalar());
    }
    return Collections.unmodifiableSet(s);
  }

  /**
   * Equality as a round trip must keep it: lists must agree on being an {@link EdnList} or not,
   * {@code byte[]} compare by content, and collections element by element.
   */
  public static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof byte[] x) {
      return b instanceof byte[] y && Arrays.equals(x, y);
    }
    if (a instanceof List<?> x) {
      if (!(b instanceof List<?> y) || (a instanceof EdnList) != (b instanceof EdnList) || x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x) {
      if (!(b instanceof Map<?, ?> y) || x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Set<?> x) {
      if (!(b instanceof Set<?> y) || x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!deepEquals(i.next(), j.next())) {
          return false;
        }
      }
      return y.containsAll(x);
    }
    if (a instanceof Datom x) {
      return b instanceof Datom y && x.e() == y.e() && x.a() == y.a() && x.tx() == y.tx()
          && x.added() == y.added() && deepEquals(x.v(), y.v());
    }
    return a.getClass() == b.getClass() && Objects.equals(a, b);
  }
}
