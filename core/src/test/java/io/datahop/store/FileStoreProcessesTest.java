package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.testkit.ChildJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims about several processes on one file store, tested with real processes: a commit made by
 * one JVM is seen whole by another, and a writer killed with SIGKILL at random instants never
 * loses an acknowledged commit nor exposes a half-written one.
 */
class FileStoreProcessesTest {
  /**
   * A commit record as the children write it: the previous commit ("-" for none), then the
   * addresses of the blobs it references, one per line.
   */
  record Commit(Address previous, List<Address> blobs) {
    byte[] encode() {
      StringBuilder s = new StringBuilder(previous == null ? "-" : previous.hex()).append('\n');
      blobs.forEach(b -> s.append(b.hex()).append('\n'));
      return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Commit decode(byte[] bytes) {
      String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
      List<Address> blobs = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        blobs.add(Address.parse(lines[i]));
      }
      return new Commit(lines[0].equals("-") ? null : Address.parse(lines[0]), blobs);
    }
  }

  /** Commits {@code args[1]} blobs and one head in the store at {@code args[0]}, then exits. */
  public static final class CommitOnce {
    public static void main(String[] args) {
      try (Store store = Stores.open("file:" + args[0], false)) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Address> blobs = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          blobs.add(store.put(StoreContractTest.random(rnd, 1 + rnd.nextInt(16 * 1024))));
        }
        Address commit = store.put(new Commit(null, blobs).encode());
        if (!store.compareAndSetHead("main", null, commit)) {
          throw new IllegalStateException("head moved");
        }
        System.out.println("COMMITTED " + commit.hex());
      }
    }
  }

  /**
   * Commits forever: each round puts a few blobs and a commit record, moves head "main" by
   * compare-and-set, and only then prints "ACK address" (flushed): a line in the log is a
   * commit the writer was told is durable.
   */
  public static final class Writer {
    public static void main(String[] args) {
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
      SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[1]));
      try (Store store = Stores.open("file:" + args[0], true)) {
        out.println("READY");
        while (true) {
          Address head = store.head("main").orElse(null);
          List<Address> blobs = new ArrayList<>();
          int n = 1 + rnd.nextInt(8);
          for (int i = 0; i < n; i++) {
            blobs.add(store.put(StoreContractTest.random(rnd, 1 + rnd.nextInt(6000))));
          }
          Address commit = store.put(new Commit(head, blobs).encode());
          if (store.compareAndSetHead("main", head, commit)) {
            out.println("ACK " + commit.hex());
          }
        }
      }
    }
  }

  @Test
  void aCommitOfAnotherProcessIsSeenWhole(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("shared");
    try (Store parent = Stores.open("file:" + dir, true)) {
      Address before = parent.put(StoreContractTest.bytes("the parent's own blob"));
      assertThat(parent.head("main")).isEmpty();

      Path log = tmp.resolve("child.log");
      Process child = ChildJvm.start(log, CommitOnce.class, dir.toString(), "300");
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as(Files.readString(log)).isZero();

      Address head = parent.head("main").orElseThrow();
      assertThat(Files.readString(log)).contains("COMMITTED " + head.hex());
      Commit commit = Commit.decode(parent.get(head));
      assertThat(commit.blobs()).hasSize(300);
      for (Address blob : commit.blobs()) {
        assertThat(Address.of(parent.get(blob))).isEqualTo(blob);
      }
      assertThat(parent.get(before)).isEqualTo(StoreContractTest.bytes("the parent's own blob"));
    }
  }

  @Test
  void aWriterKilledAtRandomInstantsNeverLosesAnAcknowledgedCommit(@TempDir Path tmp) throws Exception {
    long seed = Long.getLong("datahop.seed", System.nanoTime());
    System.out.println("crash test seed " + seed + " (pin with -Ddatahop.seed)");
    SplittableRandom rnd = new SplittableRandom(seed);
    int kills = Integer.getInteger("datahop.crash.kills", 50);
    Path dir = tmp.resolve("crashing");
    List<Address> acked = new ArrayList<>();
    Map<Address, Commit> verified = new HashMap<>();
    for (int run = 0; run < kills; run++) {
      String where = "seed " + seed + " run " + run;
      Path log = tmp.resolve("writer-" + run + ".log");
      Process writer = ChildJvm.start(log, Writer.class, dir.toString(), Long.toString(rnd.nextLong()));
      if (rnd.nextInt(10) > 0) {
        waitFor(log, "READY", writer, where);
      }
      Thread.sleep(rnd.nextInt(150));
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as(where).isTrue();
      acked.addAll(acks(log));
      if (!FileStore.exists(dir)) {
        assertThat(acked).as(where).isEmpty();
        continue;
      }
      try (Store store = Stores.open("file:" + dir, false)) {
        verify(store, acked, verified, where);
      }
    }
    System.out.println("crash test: " + kills + " kills, " + acked.size() + " acknowledged commits verified");
    assertThat(acked).as("the writer got some work done").isNotEmpty();
  }

  /**
   * The head is the last acknowledged commit or a later one, every acknowledged commit is on
   * its chain, and every blob of every commit on the chain reads back with its hash.
   */
  private static void verify(Store store, List<Address> acked, Map<Address, Commit> verified, String where) {
    Address head = store.head("main").orElse(null);
    if (acked.isEmpty() && head == null) {
      return;
    }
    assertThat(head).as(where + ": head after acknowledged commits").isNotNull();
    Set<Address> chain = new HashSet<>();
    for (Address c = head; c != null; ) {
      chain.add(c);
      Commit commit = Commit.decode(store.get(c));
      for (Address blob : commit.blobs()) {
        assertThat(Address.of(store.get(blob))).as(where).isEqualTo(blob);
      }
      verified.put(c, commit);
      c = commit.previous();
    }
    assertThat(chain).as(where + ": acknowledged commits on the head's chain").containsAll(acked);
  }

  private static List<Address> acks(Path log) throws IOException {
    List<Address> acks = new ArrayList<>();
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return acks;
    }
    // a line without its newline was cut by the kill: not an acknowledgement we can count on
    for (String line : text.substring(0, end).split("\n")) {
      if (line.startsWith("ACK ")) {
        acks.add(Address.parse(line.substring(4).trim()));
      }
    }
    return acks;
  }

  private static void waitFor(Path log, String word, Process p, String where) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(word)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(where + ": writer exited early: " + Files.readString(log));
      }
      Thread.sleep(5);
    }
    throw new AssertionError(where + ": writer not ready in 30 s");
  }
}
