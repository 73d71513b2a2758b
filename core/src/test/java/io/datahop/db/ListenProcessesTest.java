package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener in this process sees every commit of two writer processes exactly once and in t
 * order, each with its datoms.
 */
class ListenProcessesTest {
  @Test
  void everyCommitOfTwoOtherProcessesIsDeliveredOnceInOrder(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri);
    int perWriter = 150;
    try (Connection c = Databases.connect(uri)) {
      c.transact("""
          [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
           {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""");
      long startT = c.db().basisT();
      LinkedBlockingQueue<TxReport> seen = new LinkedBlockingQueue<>();
      try (AutoCloseable l = c.listen(seen::add)) {
        Path log1 = dir.resolve("w1.log");
        Path log2 = dir.resolve("w2.log");
        Process p1 = ChildJvm.start(log1, MultiProcessWriteTest.Writer.class, uri, "0", Integer.toString(perWriter));
        Process p2 = ChildJvm.start(log2, MultiProcessWriteTest.Writer.class, uri, "1000", Integer.toString(perWriter));
        List<TxReport> got = new ArrayList<>();
        while (got.size() < 2 * perWriter) {
          TxReport r = seen.poll(60, TimeUnit.SECONDS);
          assertThat(r).as("delivery %s of %s", got.size(), 2 * perWriter).isNotNull();
          got.add(r);
        }
        assertThat(p1.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p2.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p1.exitValue()).as(Files.readString(log1)).isZero();
        assertThat(p2.exitValue()).as(Files.readString(log2)).isZero();
        long personId = c.db().entid(Keyword.of("person/id"));
        Set<Object> ids = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
          TxReport r = got.get(i);
          assertThat(r.dbAfter().basisT()).as("in t order, none twice or missing").isEqualTo(startT + 1 + i);
          assertThat(r.dbBefore().basisT()).isEqualTo(startT + i);
          for (Datom d : r.txData()) if (d.a() == personId) ids.add(d.v());
        }
        assertThat(ids).hasSize(2 * perWriter);
        assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
      }
    }
  }
}
