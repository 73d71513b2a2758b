package io.datahop.remote;

import java.util.Arrays;
import java.util.Objects;

/**
 * The identity of a remote body's code: what {@link java.lang.invoke.SerializedLambda} records,
 * minus the captured values, plus a fingerprint of the capturing class's bytes. Two peers agree
 * on a body only if all of it matches; the code itself never travels.
 */
record LambdaRef(
    String capturingClass,
    String functionalInterfaceClass,
    String functionalInterfaceMethodName,
    String functionalInterfaceMethodSignature,
    int implMethodKind,
    String implClass,
    String implMethodName,
    String implMethodSignature,
    String instantiatedMethodType,
    byte[] fingerprint) {

  LambdaRef {
    Objects.requireNonNull(capturingClass, "capturingClass");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** {@code Class.method} of the body, for messages. */
  String describe() {
    return capturingClass.replace('/', '.') + "." + implMethodName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LambdaRef r
        && capturingClass.equals(r.capturingClass)
        && functionalInterfaceClass.equals(r.functionalInterfaceClass)
        && functionalInterfaceMethodName.equals(r.functionalInterfaceMethodName)
        && functionalInterfaceMethodSignature.equals(r.functionalInterfaceMethodSignature)
        && implMethodKind == r.implMethodKind
        && implClass.equals(r.implClass)
        && implMethodName.equals(r.implMethodName)
        && implMethodSignature.equals(r.implMethodSignature)
        && instantiatedMethodType.equals(r.instantiatedMethodType)
        && Arrays.equals(fingerprint, r.fingerprint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(capturingClass, implClass, implMethodName, implMethodSignature) * 31
        + Arrays.hashCode(fingerprint);
  }
}
