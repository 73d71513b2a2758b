package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.examples.ExampleClient;
import io.datahop.remote.Peer;
import io.datahop.examples.ExampleDb;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop client [PORT] [--host HOST] [--secret-file FILE] [--tls | --tls-ca PEM]
 * [--tls-cert PEM --tls-key PEM]}: the seed's second terminal. A server that refuses this client
 * (no or a wrong secret) ends it with status 2 and a line saying why.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {"Connects to the example server and the shared store, runs the three demos and prints their results."})
final class ClientCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", defaultValue = "9090", description = "the server's port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", description = "the server's host (default ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--path", description = "database directory the server created (default ${DEFAULT-VALUE})")
  Path path = ExampleDb.DEFAULT_PATH;

  @Option(names = "--store", description = "store URI the server created instead of --path, e.g. jdbc:postgresql://…")
  String store;

  @Option(names = "--fetch", description = "open no store: read the server's Dbs through the server (it runs with --serve-blobs)")
  boolean fetch;

  @Option(names = "--tls", description = "speak TLS, verifying the server against the JDK's trusted CAs (implied by --tls-ca and --tls-cert)")
  boolean tls;

  @Mixin PeerSecurity security = new PeerSecurity();

  @Override
  public Integer call() throws Exception {
    UnaryOperator<Peer.Builder> peer = b -> security.apply(b).tls(tls);
    try {
      if (fetch) {
        return ExampleClient.runFetching(host, port, System.out, peer) ? 0 : 1;
      }
      return ExampleClient.run(store != null ? store : ExampleDb.uri(path), host, port, System.out, peer) ? 0 : 1;
    } catch (ExecutionException e) {
      return refused(e.getCause());
    } catch (DatahopException | IllegalArgumentException e) {
      return refused(e);
    }
  }

  /** Why the client could not run, in one line on stderr, and exit status 2. */
  private int refused(Throwable e) {
    String why = e instanceof DatahopException d && d.code().equals("remote/auth-rejected")
        ? "the server at " + host + ":" + port + " refused this client: " + e.getMessage()
            + (security.secretFile() == null
                ? " — it requires a shared secret: give it with --secret-file FILE or $" + PeerSecurity.SECRET_ENV
                : " — check that --secret-file holds the server's secret")
        : "cannot run against the server at " + host + ":" + port + ": " + e.getMessage();
    System.err.println("datahop client: " + why);
    return 2;
  }
}
