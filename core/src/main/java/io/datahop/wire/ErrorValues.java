package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Throwables on the wire: tag {@code error} with fields class name, message, stack (a list of
 * {@code [class method file line]}), cause, and for a {@link DatahopException} {@code [category
 * code context]} (else nil). A datahop error decodes as the same category with the same code and
 * context; any other throwable as a {@link RemoteException}. Class names are only strings: nothing
 * is loaded.
 */
final class ErrorValues {
  /** Frames kept per throwable; deeper stacks are cut (the top frames say where it failed). */
  static final int MAX_FRAMES = 1024;

  /** Causes kept per chain. */
  static final int MAX_CAUSES = 32;

  private ErrorValues() {}

  /** The fields of {@code t} in wire order, with its cause chain as nested {@code error} values. */
  static void write(WireWriter w, Throwable t) {
    write(w, t, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static void write(WireWriter w, Throwable t, Set<Throwable> seen, int causes) {
    seen.add(t);
    w.tag(Tags.ERROR, 5);
    String cls = t instanceof RemoteException r ? r.remoteClass() : t.getClass().getName();
    String message = t instanceof RemoteException r ? r.remoteMessage() : t.getMessage();
    w.string(cls);
    w.stringOrNull(message);
    StackTraceElement[] stack = t.getStackTrace();
    int n = Math.min(stack.length, MAX_FRAMES);
    w.listHeader(n);
    for (int i = 0; i < n; i++) {
      StackTraceElement e = stack[i];
      w.listHeader(4);
      w.string(e.getClassName());
      w.string(e.getMethodName());
      w.stringOrNull(e.getFileName());
      w.integer(e.getLineNumber());
    }
    Throwable cause = t.getCause();
    if (cause == null || seen.contains(cause) || causes >= MAX_CAUSES) {
      w.nil();
    } else {
      write(w, cause, seen, causes + 1);
    }
    if (t instanceof DatahopException d) {
      w.listHeader(3);
      w.string(d.category());
      w.string(d.code());
      w.value(sanitize(d.context(), 0));
    } else {
      w.nil();
    }
  }

  /**
   * Context maps are for humans and programs; a value in one that cannot travel becomes its
   * {@code toString()} rather than making the error itself unsendable.
   */
  private static Object sanitize(Object v, int depth) {
    if (v == null
        || v instanceof String
        || v instanceof Long
        || v instanceof Integer
        || v instanceof Boolean
        || v instanceof Double
        || v instanceof Keyword
        || v instanceof Symbol
        || v instanceof UUID
        || v instanceof Instant
        || v instanceof BigInteger
        || v instanceof BigDecimal
        || v instanceof Character) {
      return v;
    }
    if (depth < 8 && v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(sanitize(k, depth + 1), sanitize(x, depth + 1)));
      return out;
    }
    if (depth < 8 && v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(sanitize(x, depth + 1)));
      return out;
    }
    if (depth < 8 && v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(x -> out.add(sanitize(x, depth + 1)));
      return out;
    }
    return String.valueOf(v);
  }

  /** Reads the five fields after the {@code error} tag. */
  static Throwable read(WireReader r) {
    String cls = r.readString("error class");
    String message = r.readStringOrNull("error message");
    List<?> frames = r.readListValue("error stack");
    StackTraceElement[] stack = new StackTraceElement[frames.size()];
    for (int i = 0; i < stack.length; i++) {
      if (!(frames.get(i) instanceof List<?> f)
          || f.size() != 4
          || !(f.get(0) instanceof String c)
          || !(f.get(1) instanceof String m)
          || !(f.get(2) == null || f.get(2) instanceof String)
          || !(f.get(3) instanceof Long line)
          || line < Integer.MIN_VALUE
          || line > Integer.MAX_VALUE) {
        throw r.malformed("a stack frame must be [class method file line]");
      }
      stack[i] = new StackTraceElement(c, m, (String) f.get(2), line.intValue());
    }
    Object cause = r.readValue();
    if (cause != null && !(cause instanceof Throwable)) {
      throw r.malformed("an error's cause must be an error, got " + WireReader.typeName(cause));
    }
    Object dh = r.readValue();
    Throwable t;
    if (dh == null) {
      t = new RemoteException(cls, message, stack, (Throwable) cause);
    } else {
      if (!(dh instanceof List<?> l)
          || l.size() != 3
          || !(l.get(0) instanceof String category)
          || !(l.get(1) instanceof String code)
          || !(l.get(2) instanceof Map<?, ?> context)) {
        throw r.malformed("a datahop error needs [category code context]");
      }
      Map<String, Object> ctx = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : context.entrySet()) {
        ctx.put(String.valueOf(e.getKey()), e.getValue());
      }
      // Map.copyOf in DatahopException refuses null values
      ctx.values().removeIf(java.util.Objects::isNull);
      t = DatahopException.of(category, code, message, ctx, (Throwable) cause);
      t.setStackTrace(stack);
    }
    return t;
  }
}
