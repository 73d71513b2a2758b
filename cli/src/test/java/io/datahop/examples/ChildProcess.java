package io.datahop.examples;

import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child JVM that announces "Server listening on port N" and is stopped after the tests. */
record ChildProcess(Process process, int port, Path log) implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Server listening on port (\\d+)");

  static ChildProcess start(Path log, Class<?> main, String... args) throws Exception {
    Process p = ChildJvm.start(log, main, args);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = LISTENING.matcher(out);
      if (m.find()) {
        return new ChildProcess(p, Integer.parseInt(m.group(1)), log);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("child exited with " + p.exitValue() + ":\n" + out);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("child did not start listening:\n" + Files.readString(log));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
