package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
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
 * encoded snapshot of a database, then commits more; the child auto-connects to the store from
 * the DbRef's locator, runs a point query and sees exactly the snapshot.
 */
class CrossProcessDbRefTest {
  private static final Keyword NAME = Keyword.of("name");

  /** Child main: {@code allowedPrefix hexFrame} — prints the EDN answer on one line. */
  public static final class Receiver {
    public static void main(String[] args) {
      StoreRegistry.global().allowAutoConnect(args[0]);
      Db db = (Db) FressianCodec.standard().decode(HexFormat.of().parseHex(args[1]));
      List<Object> alice = new ArrayList<>();
      for (Datom d : db.datoms(IndexType.AVET, NAME, "Alice")) {
        alice.add(db.pull("[:name :age]", d.e()));
      }
      long names = db.count(IndexType.AEVT, NAME);
      boolean charlie = db.datoms(IndexType.AVET, NAME, "Charlie").iterator().hasNext();
      System.out.println("ANSWER " + Edn.write(Map.of(
          Keyword.of("alice"), alice, Keyword.of("names"), names, Keyword.of("charlie"), charlie,
          Keyword.of("frame-bytes"), (long) args[1].length() / 2)));
      StoreRegistry.global().lookup(db.ref().orElseThrow().storeId()).orElseThrow().close();
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
      for (int i = 0; i < 5_000; i++) {
        people.add(Map.of(NAME, i == 1234 ? "Alice" : "p" + i, Keyword.of("age"), (long) (i % 90)));
      }
      conn.transact(people);
      hex = HexFormat.of().formatHex(FressianCodec.standard().encode(conn.db()));
      conn.transact("[{:name \"Charlie\" :age 40}]"); // after the snapshot
    }
    Path log = dir.resolve("child.log");
    Process p = ChildJvm.start(log, Receiver.class, "file:" + dir, hex);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    String line = out.lines().filter(l -> l.startsWith("ANSWER ")).findFirst().orElseThrow(() -> new AssertionError(out));
    Map<?, ?> answer = (Map<?, ?>) Edn.read(line.substring("ANSWER ".length()));
    assertThat(answer.get(Keyword.of("alice"))).isEqualTo(List.of(Map.of(NAME, "Alice", Keyword.of("age"), 1234L % 90)));
    assertThat(answer.get(Keyword.of("names"))).isEqualTo(5_000L);
    assertThat(answer.get(Keyword.of("charlie"))).isEqualTo(false);
    assertThat((Long) answer.get(Keyword.of("frame-bytes"))).isLessThan(100L + uri.length());
  }
}
