package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.testkit.StoreFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History retention ({@code gc --keep-since}): time travel before the cut is given up (a clear
 * error, never a wrong answer), every view at or after it answers as before, and the space of
 * what came before is reclaimed.
 */
class RetentionTest {
  @TempDir Path dir;

  private static String tx(String instant, String data) {
    return "[{:db/id \"datomic.tx\" :db/txInstant #inst \"" + instant + "\"} " + data + "]";
  }

  @Test
  void historyBeforeTheCutIsGoneAndEverythingAfterAnswersAsBefore() throws Exception {
    Path store = dir.resolve("db");
    String uri = "file:" + store;
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    List<Object> answersAfterCut = new ArrayList<>();
    long t3;
    try (Connection c = Databases.connect(uri)) {
      c.transact(tx("2020-01-01T00:00:00Z", """
          {:db/ident :k/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
          {:db/ident :k/v :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"""));
      c.transact(tx("2020-06-01T00:00:00Z", "{:k/id 1 :k/v \"GONE-BEFORE-CUT-1\"} {:k/id 2 :k/v \"two\"}"));
      c.transact(tx("2021-01-01T00:00:00Z", "{:k/id 1 :k/v \"one-kept\"}")); // the old value retracted before the cut
      t3 = c.transact(tx("2022-01-01T00:00:00Z", "{:k/id 3 :k/v \"three\"}")).dbAfter().basisT();
      c.transact(tx("2023-01-01T00:00:00Z", "{:k/id 2 :k/v \"two-later\"}")); // retracted after the cut: kept
      for (long t = t3; t <= t3 + 1; t++) {
        answersAfterCut.add(c.db().asOf(t).q("[:find ?id ?v :where [?e :k/id ?id] [?e :k/v ?v]]"));
      }
      answersAfterCut.add(c.db().history().q("[:find ?v ?op :where [?e :k/id 2] [?e :k/v ?v _ ?op]]"));
      assertThat(StoreFiles.contain(store, "GONE-BEFORE-CUT-1")).isTrue();
    }
    try (Connection c = Databases.connect(uri)) {
      Map<Keyword, Object> report = Maintenance.gc(c, true, Instant.parse("2021-06-01T00:00:00Z"));
      assertThat(report.get(Keyword.of("history-from-t"))).isEqualTo(t3);
      Db db = c.db();
      for (long t = t3; t <= t3 + 1; t++) {
        assertThat(db.asOf(t).q("[:find ?id ?v :where [?e :k/id ?id] [?e :k/v ?v]]")).isEqualTo(answersAfterCut.get((int) (t - t3)));
      }
      assertThat(db.history().q("[:find ?v ?op :where [?e :k/id 2] [?e :k/v ?v _ ?op]]")).isEqualTo(answersAfterCut.get(2));
      assertThat(db.history().q("[:find ?v :where [?e :k/id 1] [?e :k/v ?v]]")).isEqualTo(Set.of(List.of("one-kept")));
      assertThatThrownBy(() -> db.asOf(t3 - 1))
          .isInstanceOf(DatahopException.Incorrect.class)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("db/before-retention"));
      List<Long> ts = new ArrayList<>();
      c.log().txRange(null, null).forEach(e -> ts.add(e.t()));
      assertThat(ts).containsExactly(t3, t3 + 1);
      assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).isEqualTo(true);
      c.transact("[{:k/id 4 :k/v \"after\"}]");
      assertThat(c.db().asOf(t3).q("[:find ?v . :where [?e :k/id 4] [?e :k/v ?v]]")).isNull();
      // an excision after a retention takes the fact out of the cut's base as well
      long one = (Long) c.db().q("[:find ?e . :where [?e :k/id 1]]");
      c.transact("[{:db/excise " + one + " :db.excise/attrs [:k/v]}]");
      assertThat(c.db().q("[:find ?v . :where [?e :k/id 1] [?e :k/v ?v]]")).isNull();
      assertThat(c.db().asOf(t3).q("[:find ?v . :where [?e :k/id 1] [?e :k/v ?v]]")).isNull();
      assertThat(c.db().asOf(t3).q("[:find ?v . :where [?e :k/id 3] [?e :k/v ?v]]")).isEqualTo("three");
      // nothing before the cut left: a second run changes nothing
      assertThat(Maintenance.gc(c, false, Instant.parse("2021-06-01T00:00:00Z"))).doesNotContainKey(Keyword.of("history-from-t"));
    }
    assertThat(StoreFiles.contain(store, "GONE-BEFORE-CUT-1")).as("a value only history before the cut held").isFalse();
    assertThat(StoreFiles.contain(store, "two-later")).isTrue();
  }
}
