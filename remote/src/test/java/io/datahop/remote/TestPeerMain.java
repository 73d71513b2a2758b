package io.datahop.remote;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.wire.StoreRegistry;
import java.io.IOException;

/**
 * The other process of the cross-process tests: a peer named by {@code args[0]} listening on
 * port {@code args[1]} (0 = any); {@code --secret S} requires that shared secret, {@code --store URI}
 * connects that database and registers it so Dbs of that store can be received, and
 * {@code --other-build-of CLASS=DIR} makes the peer run the class file of CLASS found in DIR,
 * {@code --handshake-timeout-ms N} and {@code --max-connections OPEN,HANDSHAKING} set those limits. It prints
 * {@code PORT <n>} once listening and runs until its stdin closes (the test ended or died).
 */
public final class TestPeerMain {
  private TestPeerMain() {}

  public static void main(String[] args) throws IOException {
    Peer.Builder b = Peer.builder().id(PeerId.of(args[0]));
    Connection conn = null;
    for (int i = 2; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--secret" -> b.sharedSecret(args[i + 1]);
        case "--handshake-timeout-ms" -> b.handshakeTimeout(java.time.Duration.ofMillis(Long.parseLong(args[i + 1])));
        case "--max-connections" -> {
          // "--max-connections OPEN,HANDSHAKING"
          String[] n = args[i + 1].split(",", 2);
          b.maxConnections(Integer.parseInt(n[0]), Integer.parseInt(n[1]));
        }
        case "--fetch" -> b.fetchFromSender(Boolean.parseBoolean(args[i + 1]));
        case "--other-build-of" -> {
          // "--other-build-of CLASS=DIR": this peer runs the build of CLASS found in DIR
          String[] kv = args[i + 1].split("=", 2);
          b.classLoader(new ChildFirstLoader(java.nio.file.Path.of(kv[1]), kv[0], TestPeerMain.class.getClassLoader()));
        }
        case "--store" -> {
          conn = Databases.connect(args[i + 1]);
          StoreRegistry.global().register(conn);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (Peer peer = b.build()) {
      peer.listen(Integer.parseInt(args[1]));
      System.out.println("PORT " + peer.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to go away
      }
    } finally {
      if (conn != null) {
        conn.close();
      }
    }
  }
}
