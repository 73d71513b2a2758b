package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import io.datahop.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gc and compaction beside live writers and readers in <em>other processes</em>, on one backend:
 *
 * <ul>
 *   <li>the scenario a user met: one process runs transactions (a new entity and an update of an
 *       old one each, every one on a fresh connection, as {@code datahop transact} in a shell
 *       loop), another runs gc the same way, on a store of 20,000 entities;
 *   <li>a soak: two writer processes, one running gc (with compaction) in a loop and one reader,
 *       while random members are killed with SIGKILL at random instants and restarted, for a
 *       bounded time ({@code -Ddatahop.long=true}: ten minutes instead of twenty seconds).
 * </ul>
 *
 * Afterwards verify is clean, every acknowledged transaction is present, and the store takes
 * writes. Writers print {@code ack ID} only once {@code transact} returned (durable), so an
 * acknowledgement in a log is a promise the store must keep, kills or not.
 */
public abstract class GcSoakContract {
  /** A URI of a store that does not exist yet. */
  protected abstract String newUri(Path dir) throws Exception;

  @TempDir Path dir;

  static final int SEEDED = 20_000;

  private final List<Path> gcLogs = new ArrayList<>();

  /** Child: {@code uri base count}: {@code count} transactions, each on a fresh connection. */
  public static final class Writer {
    public static void main(String[] args) {
      String uri = args[0];
      long base = Long.parseLong(args[1]);
      int count = Integer.parseInt(args[2]);
      SplittableRandom rnd = new SplittableRandom(base);
      for (int i = 0; i < count; i++) {
        long id = base + i;
        long old = rnd.nextInt(SEEDED);
        try (Connection c = Databases.connect(uri)) {
          c.transact(List.of(Map.of("k/id", id, "k/val", "v-" + id), Map.of("k/id", old, "k/n", id)));
        }
        System.out.println("ack " + id);
      }
      System.out.println("writer done");
    }
  }

  /** Child: {@code uri count}: {@code count} gc runs (0: until killed), each on a fresh connection. */
  public static final class Collector {
    public static void main(String[] args) {
      String uri = args[0];
      int count = Integer.parseInt(args[1]);
      for (int i = 0; count == 0 || i < count; i++) {
        try (Connection c = Databases.connect(uri)) {
          System.out.println("gc " + Maintenance.gc(c));
        }
      }
      System.out.println("collector done");
    }
  }

  /** Child: {@code uri}: reads until killed; a failed read or a head going back is an error. */
  public static final class Reader {
    public static void main(String[] args) {
      String uri = args[0];
      long lastT = 0;
      try (Connection c = Databases.connect(uri)) {
        while (true) {
          Db db = c.db();
          if (db.basisT() < lastT) {
            System.out.println("ERROR head went back from " + lastT + " to " + db.basisT());
            System.exit(3);
          }
          lastT = db.basisT();
          Object n = db.q("[:find (count ?e) . :where [?e :k/val]]");
          Object seeded = db.q("[:find ?v . :where [?e :k/id 17] [?e :k/val ?v]]");
          if (!"seed-17".equals(seeded) || n == null) {
            System.out.println("ERROR read " + n + " " + seeded + " at t " + lastT);
            System.exit(3);
          }
        }
      }
    }
  }

  /**
   * Child: {@code uri}: puts random blobs and never commits, until killed — a process that dies
   * mid-transaction. Its packs are garbage once it is gone, so gc sweeps them and compaction
   * removes them while the others write.
   */
  public static final class Junk {
    public static void main(String[] args) throws Exception {
      SplittableRandom rnd = new SplittableRandom(System.nanoTime());
      try (Connection c = Databases.connect(args[0])) {
        while (true) {
          byte[] b = new byte[256 + rnd.nextInt(16_384)];
          rnd.nextBytes(b);
          c.store().put(b);
          Thread.sleep(1); // paced: a few MB per second, not the whole disk
        }
      }
    }
  }

  private String seed() throws Exception {
    String uri = newUri(dir);
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact(GcBesideWritersContract.SCHEMA);
      List<Map<String, Object>> seed = new ArrayList<>();
      for (int i = 0; i < SEEDED; i++) seed.add(Map.of("k/id", (long) i, "k/val", "seed-" + i));
      c.transact(seed);
    }
    return uri;
  }

  @Test
  void aTransactLoopBesideAGcLoopInAnotherProcessLosesNothing() throws Exception {
    String uri = seed();
    Path wlog = dir.resolve("writer.log");
    Path glog = dir.resolve("gc.log");
    Process writer = ChildJvm.start(wlog, Writer.class, uri, "1000000", "60");
    Process gc = ChildJvm.start(glog, Collector.class, uri, "40");
    assertThat(writer.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(gc.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(writer.exitValue()).as(Files.readString(wlog)).isZero();
    assertThat(gc.exitValue()).as(Files.readString(glog)).isZero();
    List<Long> acks = acks(List.of(wlog));
    assertThat(acks).hasSize(60);
    checkAfterwards(uri, acks);
  }

  @Test
  void soakWithKillsLosesNoAcknowledgedTransaction() throws Exception {
    String uri = seed();
    boolean longRun = Boolean.getBoolean("datahop.long");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(longRun ? 600 : 20);
    long seed = Long.getLong("datahop.seed", System.nanoTime());
    System.out.println(getClass().getSimpleName() + " soak seed " + seed + " (pin with -Ddatahop.seed)");
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Path> writerLogs = new ArrayList<>();
    gcLogs.clear();
    Map<String, Process> members = new HashMap<>();
    Map<String, Path> logs = new HashMap<>();
    int[] incarnations = new int[2];
    int kills = 0;
    List<String> names = List.of("writer0", "writer1", "gc", "reader", "junk");
    for (String name : names) start(name, uri, members, logs, writerLogs, incarnations);
    try {
      while (System.nanoTime() < until) {
        waitQuietly(200 + rnd.nextInt(1300));
        for (String name : names) {
          Process p = members.get(name);
          if (!p.isAlive()) {
            assertThat(p.exitValue()).as("%s exited on its own: %s", name, Files.readString(logs.get(name))).isZero();
            start(name, uri, members, logs, writerLogs, incarnations); // a writer that finished its run
          }
        }
        String victim = names.get(rnd.nextInt(names.size()));
        // a collector or writer is killed only once it got something done since it started, so
        // that on a slow machine the soak still collects and writes (the kill instant is random)
        if (!progressed(victim, logs.get(victim))) continue;
        members.get(victim).destroyForcibly().waitFor();
        kills++;
        start(victim, uri, members, logs, writerLogs, incarnations);
      }
    } finally {
      for (Process p : members.values()) p.destroyForcibly().waitFor();
    }
    for (String name : List.of("reader", "gc")) {
      assertThat(Files.readString(logs.get(name))).as(name).doesNotContain("ERROR").doesNotContain("Exception");
    }
    List<Long> acks = acks(writerLogs);
    long reclaimed = 0, swept = 0, runs = 0;
    for (Path log : gcLogs) {
      for (String line : Files.readAllLines(log)) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":deleted[= ](\\d+).*:reclaimed-bytes[= ](\\d+)").matcher(line);
        if (m.find()) {
          runs++;
          swept += Long.parseLong(m.group(1));
          reclaimed += Long.parseLong(m.group(2));
        }
      }
    }
    System.out.printf("%s: %d s, %d kills, %d writer runs, %d acknowledged transactions, %d gc runs swept %d blobs"
            + " and compaction reclaimed %d bytes%n", getClass().getSimpleName(), longRun ? 600 : 20, kills,
        writerLogs.size(), acks.size(), runs, swept, reclaimed);
    assertThat(runs).as("gc runs that finished").isPositive();
    assertThat(acks).as("acknowledged transactions").isNotEmpty();
    checkAfterwards(uri, acks);
  }

  private void start(String name, String uri, Map<String, Process> members, Map<String, Path> logs,
      List<Path> writerLogs, int[] incarnations) throws IOException {
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    logs.put(name, log);
    Process p;
    if (name.startsWith("writer")) {
      int w = name.charAt(6) - '0';
      long base = (w + 1) * 1_000_000_000L + (incarnations[w]++) * 1_000_000L;
      writerLogs.add(log);
      p = ChildJvm.start(log, Writer.class, uri, Long.toString(base), "100000");
    } else if (name.equals("junk")) {
      p = ChildJvm.start(log, Junk.class, uri);
    } else if (name.equals("gc")) {
      gcLogs.add(log);
      p = ChildJvm.start(log, Collector.class, uri, "0");
    } else {
      p = ChildJvm.start(log, Reader.class, uri);
    }
    members.put(name, p);
  }

  private static boolean progressed(String name, Path log) throws IOException {
    String marker = name.equals("gc") ? "gc {" : name.startsWith("writer") ? "ack " : null;
    return marker == null || (Files.exists(log) && Files.readString(log).contains(marker));
  }

  private static void waitQuietly(long millis) throws InterruptedException {
    // the soak's pacing: kills land at random instants, not in response to anything
    TimeUnit.MILLISECONDS.sleep(millis);
  }

  private static List<Long> acks(List<Path> logs) throws IOException {
    List<Long> out = new ArrayList<>();
    for (Path log : logs) {
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("ack ")) out.add(Long.parseLong(line.substring(4).trim()));
      }
    }
    return out;
  }

  private static void checkAfterwards(String uri, List<Long> acks) {
    try (Connection c = Databases.connect(uri)) {
      Map<Keyword, Object> report = Maintenance.verify(c);
      assertThat(report.get(Keyword.of("ok"))).as("verify: %s", report).isEqualTo(true);
      Db db = c.db();
      for (long id : acks) {
        Object v = db.q("[:find ?v . :in $ ?id :where [?e :k/id ?id] [?e :k/val ?v]]", id);
        assertThat(v).as("acknowledged entity %s", id).isEqualTo("v-" + id);
      }
      Map<Keyword, Object> gc = Maintenance.gc(c);
      assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).as("verify after a last gc %s", gc).isEqualTo(true);
      c.transact(List.of(Map.of("k/id", -1L, "k/val", "after")));
      assertThat(c.db().q("[:find ?v . :where [?e :k/id -1] [?e :k/val ?v]]")).isEqualTo("after");
    }
  }
}
