package io.datahop.remote;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows the lambdas written in the annotated class, or in the annotated method, to run when
 * another peer sends them. A receiving peer runs a body only if its capturing class carries this
 * annotation or was registered with {@link Peer.Builder#allow(Class[])}, or the method the lambda
 * is written in carries it or was registered with {@link Peer.Builder#allowEntries(Class, String...)}.
 * On a method it lets one class hold both remote-callable bodies (those of annotated methods) and
 * local-only ones (the lambdas of every other method, which a receiver refuses with
 * {@code remote/lambda-not-allowed}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RemoteScope {}
