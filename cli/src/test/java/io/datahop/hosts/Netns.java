package io.datahop.hosts;

import io.datahop.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two "hosts" for tests: two network namespaces joined by a veth pair, {@link #SERVER_IP} on
 * one end and {@link #CLIENT_IP} on the other, each with its loopback up. Traffic only ever goes
 * to these two addresses, inside namespaces this class made. Names are unique per run ({@code
 * dhop-<hex>-s}/{@code -c}, veths {@code dhop<hex>s}/{@code c}); {@link #close} kills what still
 * runs inside and deletes both namespaces (which deletes the veth pair), and {@link #create}
 * first removes leftovers of runs that died more than ten minutes ago.
 */
final class Netns implements AutoCloseable {
  static final String SERVER_IP = "10.231.0.1";
  static final String CLIENT_IP = "10.231.0.2";
  private static final String PREFIX = "dhop-";
  private static final Path RUN_NETNS = Path.of("/run/netns");

  final String server;
  final String client;
  final String serverVeth;
  final String clientVeth;
  private final List<Process> started = new ArrayList<>();

  private Netns(String tag) {
    this.server = PREFIX + tag + "-s";
    this.client = PREFIX + tag + "-c";
    this.serverVeth = "dhop" + tag + "s";
    this.clientVeth = "dhop" + tag + "c";
  }

  /** Why namespaces cannot be made here, or null when they can (root, {@code ip} present). */
  static String unavailable() {
    String ip = ipBinary();
    if (ip == null) {
      return "no 'ip' binary (Debian package iproute2) in /usr/sbin, /sbin or /usr/bin";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network namespaces need root; running as " + System.getProperty("user.name");
    }
    String probe = PREFIX + "probe" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try {
      Result add = run("ip", "netns", "add", probe);
      if (add.code != 0) {
        return "'ip netns add' failed: " + add.output.strip();
      }
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return "cannot run ip: " + e.getMessage();
    }
  }

  /** Makes the two namespaces and the veth pair between them. */
  static Netns create() throws IOException {
    removeLeftovers();
    Netns n = new Netns(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6));
    try {
      must("ip", "netns", "add", n.server);
      must("ip", "netns", "add", n.client);
      must("ip", "link", "add", n.serverVeth, "type", "veth", "peer", "name", n.clientVeth);
      must("ip", "link", "set", n.serverVeth, "netns", n.server);
      must("ip", "link", "set", n.clientVeth, "netns", n.client);
      must("ip", "-n", n.server, "addr", "add", SERVER_IP + "/30", "dev", n.serverVeth);
      must("ip", "-n", n.client, "addr", "add", CLIENT_IP + "/30", "dev", n.clientVeth);
      for (String ns : List.of(n.server, n.client)) {
        must("ip", "-n", ns, "link", "set", "lo", "up");
      }
      must("ip", "-n", n.server, "link", "set", n.serverVeth, "up");
      must("ip", "-n", n.client, "link", "set", n.clientVeth, "up");
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  /** Starts {@code main} on the test class path inside namespace {@code ns}; output goes to {@code log}. */
  Process start(String ns, Path log, Class<?> main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ipBinary(), "netns", "exec", ns));
    cmd.addAll(ChildJvm.command(List.of(), main, args));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  /** Takes the client's end of the link down or up. */
  void clientLink(boolean up) throws IOException {
    must("ip", "-n", client, "link", "set", clientVeth, up ? "up" : "down");
  }

  @Override
  public void close() {
    synchronized (started) {
      for (Process p : started) {
        p.destroy();
      }
      for (Process p : started) {
        try {
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
    for (String ns : List.of(server, client)) {
      delete(ns);
    }
  }

  /** Kills the processes still inside {@code ns} (all started by the run that made it), then deletes it. */
  private static void delete(String ns) {
    try {
      if (!Files.exists(RUN_NETNS.resolve(ns))) {
        return;
      }
      Result pids = run("ip", "netns", "pids", ns);
      for (String pid : pids.output.split("\\s+")) {
        if (pid.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      run("ip", "netns", "del", ns);
    } catch (IOException e) {
      System.err.println("could not delete network namespace " + ns + ": " + e);
    }
  }

  /** Namespaces of this test from runs that died without cleaning up (older than ten minutes). */
  private static void removeLeftovers() throws IOException {
    if (!Files.isDirectory(RUN_NETNS)) {
      return;
    }
    FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofMinutes(10)));
    try (var names = Files.list(RUN_NETNS)) {
      for (Path p : names.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(PREFIX) && Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
          System.out.println("removing leftover network namespace " + name);
          delete(name);
        }
      }
    }
  }

  private static String ipBinary() {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path p = Path.of(dir, "ip");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private record Result(int code, String output) {}

  private static void must(String... cmd) throws IOException {
    Result r = run(cmd);
    if (r.code != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + r.code + ": " + r.output.strip());
    }
  }

  private static Result run(String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of(cmd));
    if (full.get(0).equals("ip")) {
      full.set(0, ipBinary());
    }
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
