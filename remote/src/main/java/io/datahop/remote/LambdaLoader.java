package io.datahop.remote;

import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiving half of a remote body: decides whether a {@link LambdaRef} may run here and
 * rebuilds the lambda with the captured values through the capturing class's compiler-generated
 * {@code $deserializeLambda$}, which itself accepts only lambdas that class really contains.
 *
 * <p>Checks, in order: the capturing class is explicitly allowed or annotated {@link RemoteScope}
 * (on itself or its nest host); its class-file fingerprint equals the caller's; the method exists.
 * The class is looked up without being initialised, so a refused call runs no static initialiser.
 * Only accepted references are cached, so strangers cannot grow the cache.
 */
final class LambdaLoader {
  private final ClassLoader loader;
  private final Set<String> allowed;
  private final Map<LambdaRef, Accepted> accepted = new ConcurrentHashMap<>();

  /** A body allowed here: its class's {@code $deserializeLambda$} and its implementation method's type. */
  private record Accepted(Method deserialize, MethodType type) {}

  LambdaLoader(ClassLoader loader, Set<String> allowedClassNames) {
    this.loader = loader;
    this.allowed = Set.copyOf(allowedClassNames);
  }

  /** The body for {@code ref} with {@code args}; throws {@link Refusal} when it may not run. */
  Callable<?> load(LambdaRef ref, Object[] args) {
    Accepted ok = accepted.get(ref);
    if (ok == null) {
      ok = check(ref);
      accepted.put(ref, ok);
    }
    Method deserialize = ok.deserialize();
    CapturedTypes.adapt(ref, ok.type(), args);
    SerializedLambda sl = new SerializedLambda(
        deserialize.getDeclaringClass(),
        ref.functionalInterfaceClass(),
        ref.functionalInterfaceMethodName(),
        ref.functionalInterfaceMethodSignature(),
        ref.implMethodKind(),
        ref.implClass(),
        ref.implMethodName(),
        ref.implMethodSignature(),
        ref.instantiatedMethodType(),
        args);
    Object body;
    try {
      body = deserialize.invoke(null, sl);
    } catch (InvocationTargetException e) {
      // $deserializeLambda$ throws IllegalArgumentException for a lambda the class does not contain,
      // and ClassCastException when a captured value has another type than the code expects
      throw Refusal.codeMismatch("this peer cannot rebuild the body " + ref.describe() + " with signature "
          + ref.implMethodSignature() + ": " + e.getCause());
    } catch (IllegalAccessException e) {
      throw Refusal.codeMismatch("cannot call " + ref.capturingClass() + ".$deserializeLambda$: " + e.getMessage());
    }
    if (!(body instanceof Callable<?> callable)) {
      throw Refusal.codeMismatch("the body " + ref.describe() + " is not a Callable here");
    }
    return callable;
  }

  private Accepted check(LambdaRef ref) {
    String name = ref.capturingClass().replace('/', '.');
    Class<?> capturing;
    try {
      capturing = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      if (!allowed.contains(name)) {
        throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: class " + name + " is unknown here");
      }
      throw Refusal.codeMismatch("the allowed class " + name + " cannot be loaded on this peer: " + e);
    }
    if (!allowed.contains(name)
        && !capturing.isAnnotationPresent(RemoteScope.class)
        && !capturing.getNestHost().isAnnotationPresent(RemoteScope.class)) {
      throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: its class " + name
          + " is neither annotated @RemoteScope nor registered with Peer.Builder.allow");
    }
    byte[] local = ClassFingerprints.of(capturing);
    if (!Arrays.equals(local, ref.fingerprint())) {
      throw Refusal.codeMismatch("this peer runs different code for " + name + " (class fingerprint "
          + ClassFingerprints.hex(local) + "… here, " + ClassFingerprints.hex(ref.fingerprint())
          + "… at the caller): deploy the same build on both peers");
    }
    try {
      Method m = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
      m.setAccessible(true);
      return new Accepted(m, CapturedTypes.implType(ref, capturing.getClassLoader()));
    } catch (NoSuchMethodException | RuntimeException e) {
      throw Refusal.codeMismatch("class " + name + " has no serializable lambdas on this peer");
    }
  }
}
