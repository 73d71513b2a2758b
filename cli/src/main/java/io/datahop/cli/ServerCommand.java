package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Databases;
import io.datahop.examples.ExampleDb;
import io.datahop.examples.ExampleServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop server [PORT] [--listen ADDR] [--secret-file FILE] [--insecure] [--tls-cert PEM
 * --tls-key PEM [--tls-ca PEM]]}: the seed's first terminal. Listens on loopback unless told
 * otherwise, and refuses an open address without a shared secret unless {@code --insecure}.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the example database until Ctrl+C: recreates it (Alice 30, Bob 25) in the example's own directory;",
      "a --path or --store you name is opened as it is (created with Alice and Bob only when it holds no database)",
      "and recreated only with --recreate."
    })
final class ServerCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", defaultValue = "9090", description = "port to listen on (default ${DEFAULT-VALUE}; 0 = any free port)")
  int port;

  @Option(names = "--path", description = "database directory (default ${DEFAULT-VALUE})")
  Path path = ExampleDb.DEFAULT_PATH;

  @Option(names = "--store", description = "store URI instead of --path, e.g. jdbc:postgresql://host:5432/db?user=u")
  String store;

  @Option(names = "--recreate", description = "delete the database at --path or --store first and create the example data anew")
  boolean recreate;

  @Option(names = "--serve-blobs", description = "let clients that cannot open the store read it through this server")
  boolean serveBlobs;

  @Option(names = "--listen", paramLabel = "ADDR",
      description = "address to listen on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 = every interface, needs --secret-file or --insecure)")
  String listen = ExampleServer.LOOPBACK;

  @Option(names = "--insecure", description = "listen on an open address without a shared secret: anyone who reaches the port can run the server's bodies")
  boolean insecure;

  @Mixin PeerSecurity security = new PeerSecurity();

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    String uri = store != null ? store : ExampleDb.uri(path);
    // the example's own directory is the seed's scratch database; a store the user named is data
    boolean examplePath = store == null && path.toAbsolutePath().normalize().equals(ExampleDb.DEFAULT_PATH.toAbsolutePath().normalize());
    boolean anew = recreate || examplePath;
    boolean existed = !anew && Databases.exists(uri);
    ExampleServer server;
    try {
      server = ExampleServer.start(uri, port, serveBlobs, listen, b -> security.apply(b).insecure(insecure), anew);
    } catch (DatahopException | IllegalArgumentException e) {
      System.err.println("datahop server: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Shutting down the server ...");
      server.close();
      stopped.countDown();
    }, "datahop-server-shutdown"));
    String where = store != null ? store : path.toString();
    System.out.println(existed ? "Serving the existing database at " + where : "Created the test database at " + where + " with Alice (30) and Bob (25)");
    // the demo launcher reads this line to learn the port; keep its wording
    System.out.println("Server listening on port " + server.port());
    System.out.println("Listening on " + listen + (security.tls() ? " with TLS" : "")
        + (security.secretFile() != null ? ", clients must know the shared secret" : ", no authentication"));
    System.out.println("Press Ctrl+C to stop.");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
