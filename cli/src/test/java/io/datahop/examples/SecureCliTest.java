package io.datahop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.cli.Main;
import io.datahop.testkit.ChildJvm;
import io.datahop.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure command-line flow end to end, every side a real process: {@code datahop server}
 * listens on loopback by default and refuses an open address without a secret; a server with a
 * secret and TLS runs the three demos for a client that knows the secret and trusts its CA, and
 * refuses clients with no or a wrong secret, which exit non-zero saying why.
 */
class SecureCliTest {
  @TempDir Path dir;

  /** Runs {@code datahop ARGS} to its end; its exit status and output. */
  private record Run(int status, String output) {}

  private Run run(String name, Map<String, String> env, String... args) throws Exception {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of(), Main.class, args))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DATAHOP_SECRET_FILE");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  @Test
  void theServerListensOnLoopbackByDefaultAndRefusesAnOpenAddressWithoutASecret() throws Exception {
    try (ChildProcess server = ChildProcess.start(dir.resolve("default.log"), Main.class, "server", "0", "--path", dir.resolve("db1").toString())) {
      assertThat(Files.readString(server.log())).contains("listens on 127.0.0.1:" + server.port()).contains("Listening on 127.0.0.1, no authentication");
    }
    Path open = dir.resolve("db2");
    Run refused = run("open", Map.of(), "server", "0", "--listen", "0.0.0.0", "--path", open.toString());
    assertThat(refused.status()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("datahop server:").contains("refuses to listen on 0.0.0.0 without a shared secret")
        .contains("--secret-file").contains("--insecure");
    assertThat(open).as("a refused server does not touch the store").doesNotExist();
  }

  @Test
  void aClientWithTheSecretRunsTheDemosOverTlsAndClientsWithoutItAreRefused() throws Exception {
    TestCertificates.Authority ca = TestCertificates.authority(dir, "cli-test");
    TestCertificates.Issued cert = TestCertificates.issue(ca, dir, "server");
    Path secret = SecretFile.create(dir.resolve("secret"));
    Path wrong = SecretFile.create(dir.resolve("wrong-secret"));
    Path db = dir.resolve("db");
    try (ChildProcess server = ChildProcess.start(dir.resolve("tls-server.log"), Main.class, "server", "0", "--path", db.toString(),
        "--secret-file", secret.toString(), "--tls-cert", cert.certificate().toString(), "--tls-key", cert.key().toString())) {
      String port = Integer.toString(server.port());
      assertThat(Files.readString(server.log())).contains("(TLS)").contains("with TLS, clients must know the shared secret");

      Run good = run("good-client", Map.of("DATAHOP_SECRET_FILE", secret.toString()),
          "client", port, "--path", db.toString(), "--tls-ca", ca.certificate().toString());
      assertThat(good.output()).contains("snapshot-correct: true")
          .contains("names and ages, queried on the client: #{[\"Alice\" 30] [\"Bob\" 25]}")
          .contains("All demos answered correctly.");
      assertThat(good.status()).as(good.output()).isZero();

      Run none = run("no-secret-client", Map.of(), "client", port, "--path", db.toString(), "--tls-ca", ca.certificate().toString());
      assertThat(none.status()).as(none.output()).isEqualTo(2);
      assertThat(none.output()).contains("datahop client: the server at 127.0.0.1:" + port + " refused this client")
          .contains("it sent no proof").contains("give it with --secret-file FILE or $DATAHOP_SECRET_FILE");

      Run bad = run("wrong-secret-client", Map.of(), "client", port, "--path", db.toString(), "--secret-file", wrong.toString(),
          "--tls-ca", ca.certificate().toString());
      assertThat(bad.status()).as(bad.output()).isEqualTo(2);
      assertThat(bad.output()).contains("refused this client").contains("its proof does not match the shared secret")
          .contains("check that --secret-file holds the server's secret");

      assertThat(Files.readString(server.log())).contains("failed authentication: it sent no proof")
          .contains("failed authentication: its proof does not match the shared secret");
    }
  }
}
