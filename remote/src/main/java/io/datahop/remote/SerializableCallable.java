package io.datahop.remote;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A body that can run on another peer: write it as a lambda. Only the lambda's identity (its
 * capturing class, implementation method and signature) and the values it captures travel; the
 * values go through the peer's {@link io.datahop.wire.Codec}, never Java serialization. The
 * {@link Serializable} marker is only what makes the compiler record that identity.
 *
 * @param <T> the result type; {@code null} is a valid result
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {}
