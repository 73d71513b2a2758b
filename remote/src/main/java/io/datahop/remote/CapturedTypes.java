package io.datahop.remote;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;

/**
 * Adapts decoded captured values to the types the body's code declares. A codec may widen
 * numbers (Fressian reads every integer as a {@code Long} and every float as a {@code Double}),
 * while a lambda that captured an {@code int} expects an {@code Integer}; the declared types come
 * from the implementation method's signature, so no type name from the wire is trusted.
 */
final class CapturedTypes {
  private CapturedTypes() {}

  /**
   * The type of {@code ref}'s implementation method as this peer sees it; null when its signature
   * names classes unknown here (then {@code $deserializeLambda$} reports the mismatch).
   */
  static MethodType implType(LambdaRef ref, ClassLoader loader) {
    try {
      return MethodType.fromMethodDescriptorString(ref.implMethodSignature(), loader);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Converts {@code args} in place to the captured parameter types of {@code ref}. */
  static void adapt(LambdaRef ref, Object[] args, ClassLoader loader) {
    adapt(ref, implType(ref, loader), args);
  }

  /** Converts {@code args} in place to the captured parameter types of {@code ref}, whose type is {@code type}. */
  static void adapt(LambdaRef ref, MethodType type, Object[] args) {
    if (args.length == 0 || type == null) {
      return;
    }
    boolean receiver = ref.implMethodKind() != MethodHandleInfo.REF_invokeStatic
        && ref.implMethodKind() != MethodHandleInfo.REF_newInvokeSpecial;
    for (int i = 0; i < args.length; i++) {
      int p = receiver ? i - 1 : i;
      if (p >= 0 && p < type.parameterCount()) {
        args[i] = adapt(args[i], type.parameterType(p));
      }
    }
  }

  static Object adapt(Object v, Class<?> to) {
    if (v == null || to.isInstance(v)) {
      return v;
    }
    if (v instanceof Number n) {
      if (to == int.class || to == Integer.class) {
        return Math.toIntExact(n.longValue());
      } else if (to == long.class || to == Long.class) {
        return n.longValue();
      } else if (to == short.class || to == Short.class) {
        return (short) Math.toIntExact(n.longValue());
      } else if (to == byte.class || to == Byte.class) {
        return (byte) Math.toIntExact(n.longValue());
      } else if (to == double.class || to == Double.class) {
        return n.doubleValue();
      } else if (to == float.class || to == Float.class) {
        return n.floatValue();
      } else if (to == char.class || to == Character.class) {
        return (char) Math.toIntExact(n.longValue());
      }
    }
    if ((to == char.class || to == Character.class) && v instanceof String s && s.length() == 1) {
      return s.charAt(0);
    }
    return v;
  }
}
