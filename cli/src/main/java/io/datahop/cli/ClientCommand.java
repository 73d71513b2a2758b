package io.datahop.cli;

import io.datahop.examples.ExampleClient;
import io.datahop.examples.ExampleDb;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datahop client [PORT]}: the seed's second terminal. */
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

  @Override
  public Integer call() throws Exception {
    if (fetch) {
      return ExampleClient.runFetching(host, port, System.out) ? 0 : 1;
    }
    return ExampleClient.run(store != null ? store : ExampleDb.uri(path), host, port, System.out) ? 0 : 1;
  }
}
