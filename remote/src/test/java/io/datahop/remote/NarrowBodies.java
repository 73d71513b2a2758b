package io.datahop.remote;

import java.util.concurrent.CompletableFuture;

/**
 * A class holding a remote-callable body (its method is annotated) and a local-only one (not):
 * no annotation on the class, so only {@link #callable}'s lambdas may run on another peer, unless
 * a peer registers {@link #localOnly} with {@link Peer.Builder#allowEntries}.
 */
final class NarrowBodies {
  private NarrowBodies() {}

  @RemoteScope
  static CompletableFuture<String> callable(Peer from, PeerId to, String s) {
    return from.on(to, () -> "callable " + s);
  }

  static CompletableFuture<String> localOnly(Peer from, PeerId to, String s) {
    return from.on(to, () -> "local-only " + s);
  }
}
