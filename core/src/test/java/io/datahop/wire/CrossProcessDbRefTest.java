package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.NodeTraffic;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.index.IndexStats;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's first demo across two real JVMs sharing one file store: the parent sends the
 * encoded snapshot of a database, then commits more; the child connects to the store, decodes
 * the DbRef without reading any index node, runs point queries that read at most one root-to-leaf
 * path (+1) per index, and sees exactly the snapshot.
 */
class CrossProcessDbRefTest {
  private static final Keyword NAME = Keyword.of("name");

  /** 300k datoms (name, age and the tx datoms): index trees several levels deep. -Ddatahop.long=true: 1M. */
  private static final int PEOPLE = Boolean.getBoolean("datahop.long") ? 500_000 : 150_000;

  /** Child main: {@code storeUri hexFrame} — prints the EDN answer on one line. */
  public static final class Receiver {
    public static void main(String[] args) {
      // connect as a user would, then measure what decoding and querying the snapshot cost
      Connection conn = Databases.connect(args[0]);
      StoreRegistry.global().register(conn);
      IndexStats connected = NodeTraffic.of(conn.db());
      Db db = (Db) FressianCodec.standard().decode(HexFormat.of().parseHex(args[1]));
      IndexStats decoded = NodeTraffic.of(db);
      List<Datom> hits = new ArrayList<>();
      db.datoms(IndexType.AVET, NAME, "Alice").forEach(hits::add);
      IndexStats afterAvet = NodeTraffic.of(db);
      List<Object> alice = new ArrayList<>();
      for (Datom d : hits) {
        alice.add(db.pull("[:name :age]", d.e()));
      }
      IndexStats afterPull = NodeTraffic.of(db);
      long names = db.count(IndexType.AEVT, NAME);
      boolean charlie = db.datoms(IndexType.AVET, NAME, "Charlie").iterator().hasNext();
      System.out.println("ANSWER " + Edn.write(Map.of(
          Keyword.of("alice"), alice, Keyword.of("names"), names, Keyword.of("charlie"), charlie,
          Keyword.of("frame-bytes"), (long) args[1].length() / 2,
          Keyword.of("decode-loads"), decoded.minus(connected).nodeLoads(),
          Keyword.of("avet-loads"), afterAvet.minus(decoded).nodeLoads(),
          Keyword.of("avet-depth"), NodeTraffic.depth(db, IndexType.AVET),
          Keyword.of("eavt-loads"), afterPull.minus(afterAvet).nodeLoads(),
          Keyword.of("eavt-depth"), NodeTraffic.depth(db, IndexType.EAVT))));
      conn.close();
    }
  }

  @Test
  void anotherProcessRebuildsTheSnapshotFromItsDbRef(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("people");
    Databases.create(uri);
    String hex;
    try (Connection conn = Databases.connect(uri)) {
      conn.transact(RealDbWireTest.SCHEMA);
      List<Object> people = new ArrayList<>();
      for (int i = 0; i < PEOPLE; i++) {
        people.add(Map.of(NAME, i == 1234 ? "Alice" : "p" + i, Keyword.of("age"), (long) (i % 90)));
        if (people.size() == 10_000) {
          conn.transact(people);
          people.clear();
        }
      }
      conn.transact(people);
      hex = HexFormat.of().formatHex(FressianCodec.standard().encode(conn.db()));
      conn.transact("[{:name \"Charlie\" :age 40}]"); // after the snapshot
    }
    Path log = dir.resolve("child.log");
    Process p = ChildJvm.start(log, Receiver.class, uri, hex);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    String line = out.lines().filter(l -> l.startsWith("ANSWER ")).findFirst().orElseThrow(() -> new AssertionError(out));
    Map<?, ?> answer = (Map<?, ?>) Edn.read(line.substring("ANSWER ".length()));
    assertThat(answer.get(Keyword.of("alice"))).isEqualTo(List.of(Map.of(NAME, "Alice", Keyword.of("age"), 1234L % 90)));
    assertThat(answer.get(Keyword.of("names"))).isEqualTo((long) PEOPLE);
    // rebuilding the Db read no index node; each point lookup read at most one path (+1) per index
    assertThat((Long) answer.get(Keyword.of("decode-loads"))).as(line).isZero();
    assertThat((Long) answer.get(Keyword.of("avet-loads"))).as(line).isLessThanOrEqualTo((Long) answer.get(Keyword.of("avet-depth")) + 1);
    assertThat((Long) answer.get(Keyword.of("eavt-loads"))).as(line).isLessThanOrEqualTo((Long) answer.get(Keyword.of("eavt-depth")) + 1);
    assertThat(answer.get(Keyword.of("charlie"))).isEqualTo(false);
    assertThat((Long) answer.get(Keyword.of("frame-bytes"))).isLessThan(100L + uri.length());
  }
}
