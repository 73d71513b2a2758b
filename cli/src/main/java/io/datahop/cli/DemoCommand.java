package io.datahop.cli;

import io.datahop.examples.ExampleClient;
import io.datahop.examples.ExampleDb;
import io.datahop.examples.SecretFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code datahop demo}: both of the seed's terminals in one command. The server runs as a child
 * JVM on a free port, the client runs here; both outputs are printed with a label. Exits 0 only
 * if every demo answered correctly.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Runs the distributed example: a server JVM and a client JVM sharing a file store."})
final class DemoCommand implements Callable<Integer> {
  private static final Pattern LISTENING = Pattern.compile("Server listening on port (\\d+)");

  @Option(names = "--path", description = "database directory (default ${DEFAULT-VALUE})")
  Path path = ExampleDb.DEFAULT_PATH;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    // the child server and this client share a fresh secret, so nothing else on this machine can use the server
    Path secretDir = Files.createTempDirectory("datahop-demo-");
    Path secret = SecretFile.create(secretDir.resolve("secret"));
    Process server = startServer(secret);
    try {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread pump = Thread.ofPlatform().daemon().name("server-output").start(() -> relay(server, out, port));
      Integer p;
      try {
        p = port.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        out.println("[demo] the server did not start: " + e.getMessage());
        return 1;
      }
      boolean ok;
      try (PrintStream client = new PrintStream(new LabelledOutput(out, "[client] "), true, StandardCharsets.UTF_8)) {
        ok = ExampleClient.run(ExampleDb.uri(path), "127.0.0.1", p, client, b -> b.sharedSecret(SecretFile.read(secret)));
      } catch (Exception e) {
        out.println("[demo] the client failed: " + e);
        ok = false;
      }
      server.destroy(); // SIGTERM: the server's shutdown hook closes the peer and the store
      server.waitFor(20, TimeUnit.SECONDS);
      pump.join(2_000);
      out.println(ok ? "[demo] every demo answered correctly" : "[demo] FAILED: a demo answered wrongly");
      return ok ? 0 : 1;
    } finally {
      if (server.isAlive()) {
        server.destroyForcibly();
      }
      Files.deleteIfExists(secret);
      Files.deleteIfExists(secretDir);
    }
  }

  private Process startServer(Path secret) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss4m");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("server", "0", "--path", path.toString(), "--secret-file", secret.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Copies the server's output with a label and reports the port once it is announced. */
  private static void relay(Process server, PrintStream out, CompletableFuture<Integer> port) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println("[server] " + line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (Exception e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IllegalStateException("the server exited before listening"));
  }

  /** Prefixes each line written through it. */
  private static final class LabelledOutput extends java.io.OutputStream {
    private final PrintStream target;
    private final String label;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LabelledOutput(PrintStream target, String label) {
      this.target = target;
      this.label = label;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        target.println(label + line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        write('\n');
      }
    }
  }
}
