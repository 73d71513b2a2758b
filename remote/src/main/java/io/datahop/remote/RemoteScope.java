package io.datahop.remote;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows the lambdas written in the annotated class to run when another peer sends them. A
 * receiving peer runs a body only if its capturing class carries this annotation or was
 * registered with {@link Peer.Builder#allow(Class[])}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RemoteScope {}
