package io.datahop.remote;

import io.datahop.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link TestPeerMain} in a second JVM: its process, its port, and its log for failures. */
final class ChildPeer implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("PORT (\\d+)");

  final Process process;
  final int port;
  final Path log;

  private ChildPeer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ChildPeer start(Path dir, String name, int port, String... options) throws IOException, InterruptedException {
    return start(dir, name, port, List.of(), options);
  }

  /** Like {@link #start(Path, String, int, String...)} with JVM flags (e.g. {@code -Xmx256m}). */
  static ChildPeer start(Path dir, String name, int port, List<String> jvmFlags, String... options) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, name, ".log");
    List<String> args = new ArrayList<>(List.of(name, Integer.toString(port)));
    args.addAll(List.of(options));
    Process p = ChildJvm.start(log, jvmFlags, TestPeerMain.class, args.toArray(String[]::new));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      Matcher m = PORT.matcher(Files.readString(log));
      if (m.find()) {
        return new ChildPeer(p, Integer.parseInt(m.group(1)), log);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("child peer exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(20);
    }
    p.destroyForcibly();
    throw new IllegalStateException("child peer did not print its port:\n" + Files.readString(log));
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
