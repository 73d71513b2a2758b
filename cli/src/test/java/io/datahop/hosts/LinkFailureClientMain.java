package io.datahop.hosts;

import io.datahop.DatahopException;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.remote.RemoteScope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the link-failure test, run in the client's namespace against the example
 * server at {@code args[0]:args[1]}. It prints {@code CALL SENT} with a slow call in flight
 * (the test then takes the link down), how that call failed, {@code DISCONNECTED} once the silent
 * connection is given up, waits for a line on stdin (the test brings the link back first), and
 * prints how the next call went. Heartbeat 500 ms, so a dead link is noticed after 2 s.
 */
@RemoteScope
public final class LinkFailureClientMain {
  static final Duration DEADLINE = Duration.ofSeconds(4);

  private LinkFailureClientMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    try (Peer peer = Peer.builder().id(PeerId.of("flaky-client"))
        .sharedSecret(io.datahop.examples.SecretFile.read(java.nio.file.Path.of(args[2])))
        .heartbeat(Duration.ofMillis(500))
        .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .build()) {
      PeerId server = peer.connect(host, port).get(30, TimeUnit.SECONDS);
      System.out.println("READY " + peer.on(server, () -> "warm").get(30, TimeUnit.SECONDS));
      long t0 = System.nanoTime();
      CompletableFuture<String> slow = peer.on(server, DEADLINE, () -> {
        Thread.sleep(1500);
        return "late";
      });
      System.out.println("CALL SENT");
      System.out.flush();
      try {
        String r = slow.get(30, TimeUnit.SECONDS);
        System.out.println("CALL ANSWERED " + r + " ms=" + ms(t0));
      } catch (ExecutionException e) {
        String code = e.getCause() instanceof DatahopException d ? d.code() : e.getCause().toString();
        System.out.println("CALL FAILED ms=" + ms(t0) + " code=" + code + " deadline-ms=" + DEADLINE.toMillis());
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (peer.connectedPeers().contains(server) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      System.out.println((peer.connectedPeers().contains(server) ? "STILL CONNECTED" : "DISCONNECTED") + " ms=" + ms(t0));
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      long t1 = System.nanoTime();
      String again = peer.on(server, Duration.ofSeconds(20), () -> "again").get(30, TimeUnit.SECONDS);
      System.out.println("NEXT CALL " + again + " ms=" + ms(t1) + " connected=" + peer.connectedPeers().contains(server));
      System.out.flush();
    }
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
