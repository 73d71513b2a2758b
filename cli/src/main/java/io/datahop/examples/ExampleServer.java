package io.datahop.examples;

import io.datahop.db.Connection;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.wire.FressianCodec;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The example's server: opens (or creates, with Alice and Bob) the shared database, registers its
 * store and listens for peers. Closing it stops the peer and releases the database.
 */
public final class ExampleServer implements AutoCloseable {
  /** The server's peer id, derived from its name as the seed's {@code (uuid :server)}. */
  public static final PeerId ID = PeerId.of("server");

  private final Peer peer;
  private final Connection conn;

  private ExampleServer(Peer peer, Connection conn) {
    this.peer = peer;
    this.conn = conn;
  }

  /**
   * Opens (or, when absent, creates) the database at {@code path} and listens on {@code port} (0
   * picks a free one).
   */
  public static ExampleServer start(Path path, int port) {
    return start(ExampleDb.uri(path), port, false);
  }

  /**
   * Opens the database at store {@code uri} as it is, or creates it with Alice and Bob when there
   * is none ({@link ExampleDb#openOrCreate}: an existing store is never dropped), and listens on
   * {@code port}. With {@code serveBlobs}, clients that cannot open the store read the nodes
   * their queries touch through this peer ({@link Peer.Builder#serveBlobs}).
   */
  public static ExampleServer start(String uri, int port, boolean serveBlobs) {
    return start(uri, port, serveBlobs, LOOPBACK, b -> b, false);
  }

  /** The address the server listens on by default: only processes of this machine reach it. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Like {@link #start(String, int, boolean)}, listening on {@code address}, with {@code
   * security} adding the shared secret, TLS or {@code insecure} to the peer's builder; with
   * {@code recreate} the database at {@code uri} is deleted and created anew ({@link
   * ExampleDb#recreate}). A listen the peer refuses (an open address without a secret) fails
   * before the database is touched, so a refused start never deletes anything.
   */
  public static ExampleServer start(String uri, int port, boolean serveBlobs, String address,
      UnaryOperator<Peer.Builder> security, boolean recreate) {
    Peer peer = security.apply(Peer.builder().id(ID).codec(FressianCodec.standard()).serveBlobs(serveBlobs)).build();
    Connection conn;
    try {
      peer.listen(address, port);
      conn = recreate ? ExampleDb.recreate(uri) : ExampleDb.openOrCreate(uri);
    } catch (RuntimeException e) {
      peer.close();
      ExampleDb.close();
      throw e;
    }
    return new ExampleServer(peer, conn);
  }

  /** The port the server listens on. */
  public int port() {
    return peer.port();
  }

  /** The server's connection to the shared database. */
  public Connection connection() {
    return conn;
  }

  @Override
  public void close() {
    peer.close();
    ExampleDb.close();
  }
}
