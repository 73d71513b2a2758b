package io.datahop.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datahop.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed example across two hosts: the server and the client run in two network
 * namespaces joined by a veth pair ({@link Netns}), so every byte between them crosses a network
 * link, and neither can reach the other's loopback. Once with no shared storage (the client
 * reads the server's Dbs through the server), once through a PostgreSQL store that both open,
 * and once with the link taken down under a call in flight. Skips, saying why, where network
 * namespaces cannot be made (not root, no {@code ip}).
 */
class SeparateHostsTest {
  private static final Pattern LISTENING = Pattern.compile("Server listening on port (\\d+)");

  @TempDir static Path dir;
  static Netns net;
  static Path secret;

  static String unavailable;

  @BeforeAll
  static void hosts() throws IOException {
    unavailable = Netns.unavailable();
    if (unavailable != null) {
      System.out.println("SeparateHostsTest skipped: " + unavailable);
      return;
    }
    net = Netns.create();
    // the server listens on its namespace's open address, so it needs a secret; both sides read it
    secret = io.datahop.examples.SecretFile.create(dir.resolve("secret"));
  }

  @BeforeEach
  void needsNamespaces() {
    // each test reports as skipped, with the reason, where namespaces cannot be made
    assumeTrue(unavailable == null, "network namespaces unavailable: " + unavailable);
  }

  @AfterAll
  static void cleanUp() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void theThreeDemosRunOnAnotherHostThatCannotOpenTheStore() throws Exception {
    // the database lives in a directory only the server is told about
    Path privateDir = Files.createTempDirectory(dir, "server-only");
    Process server = net.start(net.server, dir.resolve("fetch-server.log"), Main.class,
        "server", "0", "--path", privateDir.resolve("db").toString(), "--serve-blobs", "--listen", "0.0.0.0", "--secret-file", secret.toString());
    int port = port(server, dir.resolve("fetch-server.log"));
    Path clientLog = dir.resolve("fetch-client.log");
    Process client = net.start(net.client, clientLog, Main.class,
        "client", Integer.toString(port), "--host", Netns.SERVER_IP, "--fetch", "--secret-file", secret.toString());
    String out = finish(client, clientLog);
    assertThat(out)
        .contains("no shared store: reading Dbs through the server")
        .contains("snapshot, queried on the client: #{[\"Alice\"] [\"Bob\"]}")
        .contains("snapshot-correct: true")
        .contains("names and ages, queried on the client: #{[\"Alice\" 30] [\"Bob\" 25]}")
        .contains("ages (queried on the client):  #{[25] [30]}")
        .contains("All demos answered correctly.")
        .containsPattern("fetched from server for store file:\\S+: [1-9]\\d* blobs, [1-9]\\d* bytes");
    assertThat(client.exitValue()).as(out).isZero();
    server.destroy();
    server.waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void theThreeDemosRunOnAnotherHostThroughASharedPostgresStore() throws Exception {
    Path pgLog = dir.resolve("postgres.log");
    Process pg = net.start(net.server, pgLog, PgHostMain.class, Netns.SERVER_IP.replaceAll("\\.1$", ".0") + "/30");
    int pgPort = Integer.parseInt(await(pg, pgLog, Pattern.compile("PG READY (\\d+)"), 90).group(1));
    String uri = "jdbc:postgresql://" + Netns.SERVER_IP + ":" + pgPort + "/postgres?user=postgres";
    Path serverLog = dir.resolve("pg-server.log");
    Process server = net.start(net.server, serverLog, Main.class, "server", "0", "--store", uri,
        "--listen", "0.0.0.0", "--secret-file", secret.toString());
    int port = port(server, serverLog);
    Path clientLog = dir.resolve("pg-client.log");
    Process client = net.start(net.client, clientLog, Main.class,
        "client", Integer.toString(port), "--host", Netns.SERVER_IP, "--store", uri, "--secret-file", secret.toString());
    String out = finish(client, clientLog);
    assertThat(out)
        .contains("and to the shared store " + uri)
        .contains("snapshot-correct: true")
        .contains("names and ages, queried on the client: #{[\"Alice\" 30] [\"Bob\" 25]}")
        .contains("All demos answered correctly.");
    assertThat(client.exitValue()).as(out).isZero();
    server.destroy();
    server.waitFor(10, TimeUnit.SECONDS);
    pg.getOutputStream().close();
    pg.waitFor(20, TimeUnit.SECONDS);
  }

  @Test
  void aCallCutOffByTheLinkFailsWithinItsDeadlineAndTheNextCallSucceedsOnceTheLinkIsBack() throws Exception {
    Path serverLog = dir.resolve("link-server.log");
    Process server = net.start(net.server, serverLog, Main.class,
        "server", "0", "--path", Files.createTempDirectory(dir, "link").resolve("db").toString(), "--listen", "0.0.0.0", "--secret-file", secret.toString());
    int port = port(server, serverLog);
    Path clientLog = dir.resolve("link-client.log");
    Process client = net.start(net.client, clientLog, LinkFailureClientMain.class, Netns.SERVER_IP, Integer.toString(port), secret.toString());
    try {
      await(client, clientLog, Pattern.compile("CALL SENT"), 60);
      net.clientLink(false);
      Matcher failed = await(client, clientLog, Pattern.compile("CALL FAILED ms=(\\d+) code=(\\S+) deadline-ms=(\\d+)"), 30);
      assertThat(Long.parseLong(failed.group(1))).as("ms until the call failed").isLessThanOrEqualTo(Long.parseLong(failed.group(3)) + 500);
      assertThat(failed.group(2)).isIn("remote/connection-lost", "remote/deadline");
      await(client, clientLog, Pattern.compile("DISCONNECTED ms=\\d+"), 30);
      Thread.sleep(500);
      net.clientLink(true);
      try (OutputStream in = client.getOutputStream()) {
        in.write("up\n".getBytes(StandardCharsets.UTF_8));
      }
      Matcher next = await(client, clientLog, Pattern.compile("NEXT CALL (\\S+) ms=(\\d+) connected=(\\S+)"), 30);
      assertThat(next.group(1)).isEqualTo("again");
      assertThat(next.group(3)).isEqualTo("true");
      assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as(Files.readString(clientLog)).isZero();
      System.out.println(Files.readString(clientLog));
    } finally {
      net.clientLink(true);
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int port(Process p, Path log) throws Exception {
    return Integer.parseInt(await(p, log, LISTENING, 60).group(1));
  }

  private static String finish(Process p, Path log) throws Exception {
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the client did not finish:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    System.out.println(out);
    return out;
  }

  private static Matcher await(Process p, Path log, Pattern pattern, int seconds) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = pattern.matcher(out);
      if (m.find()) {
        return m;
      }
      if (!p.isAlive()) {
        throw new AssertionError("process exited with " + p.exitValue() + " before printing " + pattern + ":\n" + out);
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no " + pattern + " within " + seconds + " s:\n" + Files.readString(log));
  }
}
