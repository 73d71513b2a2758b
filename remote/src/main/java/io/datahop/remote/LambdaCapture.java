package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.wire.Codec;
import java.io.Closeable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sending half of a remote body: reads the lambda's {@link SerializedLambda} through the
 * compiler-generated {@code writeReplace} method (no Java serialization happens) and encodes each
 * captured value with the codec. Anything that cannot travel fails here, at the call site, before a
 * byte is sent, naming the captured value's type.
 */
final class LambdaCapture {
  /** Types that are handles to local resources: travelling would silently mean something else. */
  private static final List<Class<?>> LOCAL_HANDLES =
      List.of(Connection.class, Socket.class, ServerSocket.class, Channel.class, Thread.class, Closeable.class);

  private static final ClassValue<Method> WRITE_REPLACE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            Method m = type.getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m;
          } catch (NoSuchMethodException e) {
            return null;
          }
        }
      };

  private LambdaCapture() {}

  static SerializedLambda serializedLambda(Object body) {
    Method writeReplace = WRITE_REPLACE.get(body.getClass());
    if (writeReplace == null) {
      throw new DatahopException.Incorrect(
          "remote/not-a-lambda",
          "a remote body must be a lambda or a method reference, not an instance of " + body.getClass().getName(),
          Map.of("class", body.getClass().getName()),
          null);
    }
    try {
      if (writeReplace.invoke(body) instanceof SerializedLambda sl) {
        return sl;
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new DatahopException.Fault("remote/lambda-introspection", "cannot read the lambda " + body.getClass().getName(), Map.of(), e);
    }
    throw new DatahopException.Incorrect(
        "remote/not-a-lambda", "a remote body must be a lambda or a method reference: " + body.getClass().getName(), Map.of(), null);
  }

  /** Code identity and encoded captured values of {@code body}. */
  static Captured capture(SerializableCallable<?> body, Codec codec) {
    SerializedLambda sl = serializedLambda(body);
    LambdaRef ref = refOf(body.getClass(), sl);
    int n = sl.getCapturedArgCount();
    List<byte[]> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(encodeCaptured(codec, ref, sl, i));
    }
    return new Captured(ref, args);
  }

  /** The code identity is the same for every instance of one lambda class: computed once. */
  private static final ClassValue<LambdaRef[]> REF_CACHE =
      new ClassValue<>() {
        @Override
        protected LambdaRef[] computeValue(Class<?> type) {
          return new LambdaRef[1];
        }
      };

  private static LambdaRef refOf(Class<?> lambdaClass, SerializedLambda sl) {
    LambdaRef[] slot = REF_CACHE.get(lambdaClass);
    LambdaRef ref = slot[0];
    if (ref == null) {
      Class<?> capturing = capturingClass(lambdaClass, sl);
      ref = new LambdaRef(
          sl.getCapturingClass(),
          sl.getFunctionalInterfaceClass(),
          sl.getFunctionalInterfaceMethodName(),
          sl.getFunctionalInterfaceMethodSignature(),
          sl.getImplMethodKind(),
          sl.getImplClass(),
          sl.getImplMethodName(),
          sl.getImplMethodSignature(),
          sl.getInstantiatedMethodType(),
          ClassFingerprints.of(capturing));
      slot[0] = ref;
    }
    return ref;
  }

  private static Class<?> capturingClass(Class<?> lambdaClass, SerializedLambda sl) {
    try {
      return Class.forName(sl.getCapturingClass().replace('/', '.'), false, lambdaClass.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new DatahopException.Fault(
          "remote/lambda-introspection", "the capturing class of a lambda cannot be found: " + sl.getCapturingClass(), Map.of(), e);
    }
  }

  private static byte[] encodeCaptured(Codec codec, LambdaRef ref, SerializedLambda sl, int i) {
    Object value = sl.getCapturedArg(i);
    String why = null;
    RuntimeException cause = null;
    if (value != null) {
      for (Class<?> handle : LOCAL_HANDLES) {
        if (handle.isInstance(value)) {
          why = "a " + handle.getSimpleName() + " is a handle to a resource of this process"
              + (handle == Connection.class ? "; capture conn.db() (an immutable Db) instead" : "");
          break;
        }
      }
    }
    if (why == null) {
      try {
        return Values.encode(value, codec);
      } catch (RuntimeException e) {
        why = "the codec cannot encode it (" + e.getMessage() + ")";
        cause = e;
      }
    }
    boolean receiver = i == 0
        && sl.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic
        && sl.getImplMethodKind() != MethodHandleInfo.REF_newInvokeSpecial;
    String type = value == null ? "null" : value.getClass().getName();
    String what;
    if (receiver && sl.getImplClass().equals(sl.getCapturingClass())) {
      what = "the enclosing instance (this) of type " + type
          + ", because the body uses an instance member; copy what it needs into local variables";
    } else if (receiver) {
      what = "the bound receiver of a method reference, of type " + type;
    } else {
      what = "a value of type " + type + " (captured value #" + (i + 1) + ")";
    }
    throw new DatahopException.Incorrect(
        "remote/capture-not-transferable",
        "cannot capture " + type + " in a remote body " + ref.describe() + ": it captures " + what + ", and " + why,
        Map.of("type", type, "index", i, "body", ref.describe()),
        cause);
  }
}
