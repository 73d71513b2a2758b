package io.datahop.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a second JVM on the test class path, for tests whose claim is about two processes
 * (shared file stores, crash safety, remote calls). Surefire's {@code java.class.path} is a
 * manifest-only jar whose Class-Path lists every entry, so passing it on works.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code mainClass} with {@code args}; stderr and stdout go to {@code log}. */
  public static Process start(Path log, Class<?> mainClass, String... args) throws IOException {
    return start(log, List.of(), mainClass, args);
  }

  /** Like {@link #start(Path, Class, String...)} with extra JVM flags. */
  public static Process start(Path log, List<String> jvmFlags, Class<?> mainClass, String... args)
      throws IOException {
    return new ProcessBuilder(command(jvmFlags, mainClass, args))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /**
   * The command line that runs {@code mainClass} on the test class path, for callers that wrap
   * it (e.g. in {@code ip netns exec NS …} to run it on another network namespace).
   */
  public static List<String> command(List<String> jvmFlags, Class<?> mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss4m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("surefire.test.class.path", ""));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
