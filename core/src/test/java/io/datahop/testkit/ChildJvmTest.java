package io.datahop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
  /** Prints its first argument, proving the child sees the test class path. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("child says " + args[0]);
    }
  }

  @Test
  void childJvmRunsATestClassAndExitsZero(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    Process p = ChildJvm.start(log, Echo.class, "hello");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("child says hello");
  }
}
