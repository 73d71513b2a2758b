package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.wire.Codec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a body's exception crosses the wire: its cause chain as a list of plain maps (class,
 * message, category, code, context, stack) that any codec encodes, rebuilt by the caller as a
 * chain of {@link RemoteException}s. No exception class is ever instantiated from the wire.
 */
final class ErrorWire {
  private static final int MAX_CHAIN = 16;
  private static final int MAX_FRAMES = 128;

  private ErrorWire() {}

  static byte[] encode(Throwable error, Codec codec) {
    try {
      return codec.encode(toData(error, true));
    } catch (RuntimeException e) {
      // the context held a value the codec refuses: send it as text rather than lose the error
      return codec.encode(toData(error, false));
    }
  }

  static List<Map<String, Object>> toData(Throwable error, boolean rawContext) {
    List<Map<String, Object>> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < MAX_CHAIN; t = t.getCause()) {
      Map<String, Object> link = new HashMap<>();
      link.put("class", t instanceof RemoteException r ? r.remoteClass() : t.getClass().getName());
      link.put("message", t instanceof RemoteException r ? r.remoteMessage() : t.getMessage());
      if (t instanceof DatahopException d) {
        link.put("category", d.category());
        link.put("code", d.code());
        Map<String, Object> context = new LinkedHashMap<>();
        d.context().forEach((k, v) -> context.put(k, rawContext ? v : String.valueOf(v)));
        link.put("context", context);
      }
      List<String> stack = new ArrayList<>();
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < frames.length && i < MAX_FRAMES; i++) {
        StackTraceElement f = frames[i];
        stack.add(f.getClassName() + "|" + f.getMethodName() + "|" + (f.getFileName() == null ? "" : f.getFileName())
            + "|" + f.getLineNumber());
      }
      link.put("stack", stack);
      chain.add(link);
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  static RemoteException decode(byte[] bytes, Codec codec, PeerId peer) {
    Object data = codec.decode(bytes);
    if (!(data instanceof List<?> chain) || chain.isEmpty()) {
      return new RemoteException(peer, "unknown", "the peer sent an unreadable error", null, null, null, null);
    }
    RemoteException cause = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Map<Object, Object> link = chain.get(i) instanceof Map<?, ?> m ? (Map<Object, Object>) m : Map.of();
      Map<String, Object> context = new LinkedHashMap<>();
      if (link.get("context") instanceof Map<?, ?> c) {
        c.forEach((k, v) -> context.put(String.valueOf(k), v));
      }
      RemoteException e = new RemoteException(
          peer, text(link.get("class"), "unknown"), text(link.get("message"), null),
          text(link.get("category"), null), text(link.get("code"), null), context, cause);
      e.setStackTrace(frames(link.get("stack")));
      cause = e;
    }
    return cause;
  }

  private static String text(Object v, String otherwise) {
    return v == null ? otherwise : v.toString();
  }

  private static StackTraceElement[] frames(Object stack) {
    if (!(stack instanceof List<?> list)) {
      return new StackTraceElement[0];
    }
    List<StackTraceElement> out = new ArrayList<>();
    for (Object o : list) {
      String[] p = String.valueOf(o).split("\\|", -1);
      if (p.length == 4) {
        int line;
        try {
          line = Integer.parseInt(p[3]);
        } catch (NumberFormatException e) {
          line = -1;
        }
        out.add(new StackTraceElement(p[0], p[1], p[2].isEmpty() ? null : p[2], line));
      }
    }
    return out.toArray(StackTraceElement[]::new);
  }
}
