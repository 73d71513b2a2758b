package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process that dies and comes back: calls in flight fail promptly when it is killed,
 * and the connecting peer reconnects on its own when a new process listens on the same port.
 */
@RemoteScope
class PeerFailureProcessTest {
  @TempDir Path dir;

  private static Throwable failure(CompletableFuture<?> f) {
    return Failures.of(f, 20);
  }

  @Test
  void killingTheServerFailsCallsInFlightPromptlyAndTheClientReconnectsToItsSuccessor() throws Exception {
    try (Peer client = Peer.builder().id(PeerId.of("client"))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build()) {
      ChildPeer first = ChildPeer.start(dir, "server", 0);
      int port = first.port;
      PeerId server = client.connect("127.0.0.1", port).get(30, TimeUnit.SECONDS);
      long firstPid = client.on(server, () -> ProcessHandle.current().pid()).get(20, TimeUnit.SECONDS);
      assertThat(firstPid).isEqualTo(first.process.pid());

      List<CompletableFuture<String>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        inFlight.add(client.on(server, Duration.ofSeconds(60), () -> {
          Thread.sleep(60_000);
          return "never";
        }));
      }
      Thread.sleep(200);
      long t0 = System.nanoTime();
      first.process.destroyForcibly();
      for (CompletableFuture<String> f : inFlight) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(DatahopException.Unavailable.class);
        assertThat(((DatahopException) t).code()).isEqualTo("remote/connection-lost");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      first.close();

      // a call made while the server is down waits for it, up to its deadline
      CompletableFuture<Long> waiting = client.on(server, Duration.ofSeconds(60), () -> ProcessHandle.current().pid());
      try (ChildPeer second = ChildPeer.start(dir, "server", port)) {
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(second.process.pid());
        assertThat(client.on(server, () -> Remote.self().name()).get(20, TimeUnit.SECONDS)).isEqualTo("server");
      }
    }
  }

  @Test
  void aServerRunningAnotherBuildOfTheBodysClassRefusesIt() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/io/datahop/remote"));
    Path out = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(src.resolve("VersionedBodies.java"), """
        package io.datahop.remote;

        @RemoteScope
        final class VersionedBodies {
          private VersionedBodies() {}

          static SerializableCallable<String> version() {
            return () -> "v2, built elsewhere";
          }
        }
        """);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", out.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("VersionedBodies.java").toString());
    assertThat(rc).isZero();
    try (ChildPeer child = ChildPeer.start(dir, "other-build", 0, "--other-build-of", VersionedBodies.class.getName() + "=" + out);
        Peer client = Peer.builder().id(PeerId.of("client")).build()) {
      PeerId server = client.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
      Throwable t = failure(client.on(server, VersionedBodies.version()));
      assertThat(t).isInstanceOf(DatahopException.Unsupported.class);
      assertThat(((DatahopException) t).code()).isEqualTo("remote/code-mismatch");
      assertThat(t).hasMessageContaining("different code for " + VersionedBodies.class.getName());
      // the same peer still runs bodies whose classes match
      assertThat(client.on(server, () -> Remote.self().name()).get(20, TimeUnit.SECONDS)).isEqualTo("other-build");
    }
  }

  @Test
  void aServerWithASecretAcceptsPeersThatKnowItAndRejectsOthers() throws Exception {
    String secret = "a secret both sides were given";
    try (ChildPeer child = ChildPeer.start(dir, "guarded", 0, "--secret", secret)) {
      try (Peer good = Peer.builder().id(PeerId.of("alice")).sharedSecret(secret).build()) {
        PeerId server = good.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
        assertThat(good.on(server, () -> Remote.principal().orElse("anonymous")).get(20, TimeUnit.SECONDS)).isEqualTo("alice");
      }
      try (Peer bad = Peer.builder().id(PeerId.of("mallory")).sharedSecret("not the secret at all!").build()) {
        Throwable t = failure(bad.connect("127.0.0.1", child.port));
        assertThat(((DatahopException) t).code()).isEqualTo("remote/auth-rejected");
        assertThat(t).hasMessageContaining("failed authentication");
        Throwable call = failure(bad.on(PeerId.of("guarded"), Duration.ofSeconds(2), () -> "nope"));
        assertThat(call).isInstanceOf(DatahopException.class);
      }
      try (Peer anonymous = Peer.builder().id(PeerId.of("eve")).build()) {
        Throwable t = failure(anonymous.connect("127.0.0.1", child.port));
        assertThat(((DatahopException) t).code()).isEqualTo("remote/auth-rejected");
        assertThat(t).hasMessageContaining("no proof");
      }
      assertThat(child.output()).contains("peer eve").contains("failed authentication");
    }
  }
}
