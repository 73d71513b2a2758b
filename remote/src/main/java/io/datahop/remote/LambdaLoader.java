package io.datahop.remote;

import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The receiving half of a remote body: decides whether a {@link LambdaRef} may run here and
 * rebuilds the lambda with the captured values through the capturing class's compiler-generated
 * {@code $deserializeLambda$}, which itself accepts only lambdas that class really contains.
 *
 * <p>Checks, in order: the body is allowed, which means its capturing class is registered with
 * {@link Peer.Builder#allow(Class[])} or annotated {@link RemoteScope} (on itself or its nest
 * host), or the method the lambda is written in (its entry method) is registered with {@link
 * Peer.Builder#allowEntries(Class, String...)} or annotated {@link RemoteScope}; the class's class-file
 * fingerprint equals the caller's; the class has serializable lambdas. A class that is not
 * registered is loaded only if its class file mentions {@link RemoteScope} ({@link ClassFileScan}),
 * and never initialised here, so a caller cannot make this peer load or initialise other classes. Nothing is cached
 * here: a connection's {@link BodyCache} keeps the bodies it accepted, within its budget.
 */
final class LambdaLoader {
  private final ClassLoader loader;
  private final Set<String> allowed;
  /** Class name → entry methods allowed in it (besides those annotated). */
  private final Map<String, Set<String>> allowedEntries;

  /** A body allowed here: its class's {@code $deserializeLambda$} and its implementation method's type. */
  record Body(Method deserialize, MethodType type) {}

  LambdaLoader(ClassLoader loader, Set<String> allowedClassNames, Map<String, Set<String>> allowedEntries) {
    this.loader = loader;
    this.allowed = Set.copyOf(allowedClassNames);
    this.allowedEntries = Map.copyOf(allowedEntries);
  }

  LambdaLoader(ClassLoader loader, Set<String> allowedClassNames) {
    this(loader, allowedClassNames, Map.of());
  }

  /** The body for {@code ref} with {@code args}; throws {@link Refusal} when it may not run. */
  Callable<?> load(LambdaRef ref, Object[] args) {
    return instantiate(ref, resolve(ref), args);
  }

  /** Rebuilds the body {@link #resolve} accepted with {@code args}; throws {@link Refusal} when its class refuses it. */
  Callable<?> instantiate(LambdaRef ref, Body ok, Object[] args) {
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

  /** Checks that {@code ref} may run here; throws {@link Refusal} when not. */
  Body resolve(LambdaRef ref) {
    String name = ref.capturingClass().replace('/', '.');
    boolean registered = allowed.contains(name) || allowedEntries.containsKey(name);
    if (!ClassFileScan.isBinaryName(name)) {
      throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: " + name.length()
          + " characters that are no class name");
    }
    // a class neither registered nor annotated is refused before it is loaded
    if (!registered && !ClassFileScan.mayBeRemoteScope(loader, name)) {
      throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: class " + name
          + " is unknown here, or neither it nor a method of it is annotated @RemoteScope or registered with Peer.Builder.allow");
    }
    Class<?> capturing;
    try {
      capturing = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      if (!registered) {
        throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: class " + name + " is unknown here");
      }
      throw Refusal.codeMismatch("the allowed class " + name + " cannot be loaded on this peer: " + e);
    }
    if (!allowed.contains(name)
        && !capturing.isAnnotationPresent(RemoteScope.class)
        && !capturing.getNestHost().isAnnotationPresent(RemoteScope.class)
        && !entryAllowed(capturing, ref)) {
      throw Refusal.notAllowed("the body " + ref.describe() + " is not allowed on this peer: neither its class " + name
          + " nor the method it is written in (" + String.valueOf(entryOf(ref)) + ") is annotated @RemoteScope or registered with Peer.Builder.allow or allowEntries");
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
      return new Body(m, CapturedTypes.implType(ref, capturing.getClassLoader()));
    } catch (NoSuchMethodException | RuntimeException e) {
      throw Refusal.codeMismatch("class " + name + " has no serializable lambdas on this peer");
    }
  }

  /**
   * Whether the method the lambda is written in is registered or annotated. The compiler names a
   * lambda's implementation after that method (nested lambdas too), and
   * {@code $deserializeLambda$} accepts only names the class really has, so the entry is what
   * the class's code says, not what the caller claims.
   */
  private boolean entryAllowed(Class<?> capturing, LambdaRef ref) {
    String entry = entryOf(ref);
    if (entry == null || !ref.implClass().equals(ref.capturingClass())) {
      return false;
    }
    Set<String> registered = allowedEntries.get(capturing.getName());
    if (registered != null && registered.contains(entry)) {
      return true;
    }
    for (Method m : capturing.getDeclaredMethods()) {
      if (m.getName().equals(entry) && m.isAnnotationPresent(RemoteScope.class)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entry method of a lambda named {@code lambda$ENTRY$N}, or {@code lambda$ENTRY$HASH$N} as
   * javac names serializable ones; null for another name. An entry method whose own name holds a
   * {@code $} is not found, so its lambdas are refused, never let through.
   */
  static String entryOf(LambdaRef ref) {
    String n = ref.implMethodName();
    int start = "lambda$".length();
    int end = n.indexOf('$', start);
    if (!n.startsWith("lambda$") || end <= start) {
      return null;
    }
    return n.substring(start, end);
  }
}
