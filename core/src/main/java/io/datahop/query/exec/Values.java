package io.datahop.query.exec;

import io.datahop.edn.Edn;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Value semantics of the query language, following Clojure/Datomic: {@code =} is Clojure
 * equality (1 and 1.0 differ), comparisons and {@code ==} compare numbers of any type by value,
 * and values of different types order by a fixed type rank so every sort is total.
 */
public final class Values {
  private Values() {}

  /** Orders any two query values; numbers by value across Long, Double, BigInteger, BigDecimal. */
  public static final Comparator<Object> ORDER = Values::compare;

  /** Clojure truthiness: everything but nil and false. */
  public static boolean truthy(Object o) {
    return o != null && o != Boolean.FALSE && !(o instanceof Boolean b && !b);
  }

  /** Clojure {@code =}. */
  public static boolean eq(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number x && b instanceof Number y) {
      int ka = numKind(x);
      int kb = numKind(y);
      if ((ka == 2) != (kb == 2)) {
        return false; // an integer never equals a floating value under =
      }
      return compareNumbers(x, y) == 0 && (ka == 3) == (kb == 3);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return java.util.Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  /** 0 integer (Long/Integer/BigInteger), 2 floating, 3 BigDecimal. */
  private static int numKind(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return 2;
    }
    if (n instanceof BigDecimal) {
      return 3;
    }
    return 0;
  }

  /** Numeric comparison across number types. */
  public static int compareNumbers(Number a, Number b) {
    if ((a instanceof Long || a instanceof Integer) && (b instanceof Long || b instanceof Integer)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (numKind(a) == 2 || numKind(b) == 2) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return bigDec(a).compareTo(bigDec(b));
  }

  static BigDecimal bigDec(Number n) {
    return switch (n) {
      case BigDecimal d -> d;
      case BigInteger i -> new BigDecimal(i);
      case Double d -> BigDecimal.valueOf(d);
      case Float f -> BigDecimal.valueOf(f.doubleValue());
      default -> BigDecimal.valueOf(n.longValue());
    };
  }

  private static int rank(Object o) {
    return switch (o) {
      case null -> 0;
      case Boolean b -> 1;
      case Number n -> 2;
      case String s -> 3;
      case Keyword k -> 4;
      case Symbol s -> 5;
      case java.util.UUID u -> 6;
      case java.time.Instant i -> 7;
      case java.util.Date d -> 7;
      case List<?> l -> 8;
      default -> 9;
    };
  }

  /** A total order over query values (Datomic-like: numbers by value, then by type). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
        return 0;
      case 2:
        return compareNumbers((Number) a, (Number) b);
      case 7:
        return toInstant(a).compareTo(toInstant(b));
      case 8: {
        List<?> x = (List<?>) a;
        List<?> y = (List<?>) b;
        if (x.size() != y.size()) {
          return Integer.compare(x.size(), y.size());
        }
        for (int i = 0; i < x.size(); i++) {
          int c = compare(x.get(i), y.get(i));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      }
      default:
        if (a.getClass() == b.getClass() && a instanceof Comparable ca) {
          return ca.compareTo(b);
        }
        int c = a.getClass().getName().compareTo(b.getClass().getName());
        return c != 0 ? c : Integer.compare(a.hashCode(), b.hashCode());
    }
  }

  private static java.time.Instant toInstant(Object o) {
    return o instanceof java.util.Date d ? d.toInstant() : (java.time.Instant) o;
  }

  /** Clojure {@code str} of one value. */
  public static String str(Object o) {
    return switch (o) {
      case null -> "";
      case String s -> s;
      case Character c -> c.toString();
      case Keyword k -> k.toString();
      case Symbol s -> s.text();
      case Long l -> l.toString();
      case Double d -> d.toString();
      case Boolean b -> b.toString();
      case java.util.regex.Pattern p -> p.pattern();
      // Clojure's str of an instant is java.util.Date's toString
      case java.time.Instant i -> java.util.Date.from(i).toString();
      case EdnList l -> Edn.write(l);
      case Collection<?> c -> Edn.write(c);
      case Map<?, ?> m -> Edn.write(m);
      default -> o.toString();
    };
  }

  /** The number a function argument must be. */
  static Number num(Object o, String fn) {
    if (o instanceof Number n) {
      return n;
    }
    throw new ClassCastException(
        fn + " expects a number, got " + (o == null ? "nil" : Edn.write(o)));
  }

  /** Addition/subtraction/multiplication with Clojure's contagion rules (long overflow throws). */
  static Number arith(char op, Number a, Number b) {
    int ka = numKind(a);
    int kb = numKind(b);
    if (ka == 2 || kb == 2) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      if (op == '/' && y == 0) {
        // Datomic's query / refuses a zero divisor also for doubles (no Infinity, no NaN)
        throw new ArithmeticException("Divide by zero");
      }
      return switch (op) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        default -> x / y;
      };
    }
    if (ka == 3 || kb == 3) {
      String fn = String.valueOf(op);
      BigDecimal x = BigBounds.check(bigDec(a), fn);
      BigDecimal y = BigBounds.check(bigDec(b), fn);
      return BigBounds.check(
          switch (op) {
            case '+' -> x.add(y);
            case '-' -> x.subtract(y);
            case '*' -> x.multiply(y);
            // exact, as Clojure's: a non-terminating quotient fails, as it does in Datomic
            default -> x.divide(y);
          },
          fn);
    }
    if (a instanceof BigInteger || b instanceof BigInteger) {
      String fn = String.valueOf(op);
      BigInteger x = a instanceof BigInteger bi ? BigBounds.check(bi, fn) : BigInteger.valueOf(a.longValue());
      BigInteger y = b instanceof BigInteger bi ? BigBounds.check(bi, fn) : BigInteger.valueOf(b.longValue());
      return BigBounds.check(
          switch (op) {
            case '+' -> x.add(y);
            case '-' -> x.subtract(y);
            case '*' -> x.multiply(y);
            // integer division truncates, as Datomic's query / does for integers
            default -> x.divide(y);
          },
          fn);
    }
    long x = a.longValue();
    long y = b.longValue();
    return switch (op) {
      case '+' -> Math.addExact(x, y);
      case '-' -> Math.subtractExact(x, y);
      case '*' -> Math.multiplyExact(x, y);
      default -> {
        if (y == 0) {
          throw new ArithmeticException("Divide by zero");
        }
        // Datomic's query / on two integers truncates ((/ 7 2) is 3, checked against Datomic
        // by bench's DatomicDifferentialTest), unlike Clojure's Ratio
        yield x == Long.MIN_VALUE && y == -1 ? Math.negateExact(x) : x / y;
      }
    };
  }

  /** Widens Java ints in query inputs to Long, recursively for collections. */
  public static Object normalize(Object v) {
    return io.datahop.query.parse.QueryParser.normalize(v);
  }
}
