package io.datahop.remote;

import java.io.IOException;

/**
 * The other process of the cross-process tests: a peer named by {@code args[0]} listening on
 * port {@code args[1]} (0 = any), with the shared secret {@code args[2]} if given. It prints
 * {@code PORT <n>} once listening and runs until its stdin closes (the test ended or died).
 */
public final class TestPeerMain {
  private TestPeerMain() {}

  public static void main(String[] args) throws IOException {
    Peer.Builder b = Peer.builder().id(PeerId.of(args[0]));
    if (args.length > 2) {
      b.sharedSecret(args[2]);
    }
    try (Peer peer = b.build()) {
      peer.listen(Integer.parseInt(args[1]));
      System.out.println("PORT " + peer.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to go away
      }
    }
  }
}
