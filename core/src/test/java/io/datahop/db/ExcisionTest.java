package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.testkit.StoreFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Excision: the matching datoms leave the present and all history, and after gc with scrubbing no
 * byte of an excised value is left in the store's files, while everything else still verifies
 * and answers.
 */
class ExcisionTest {
  @TempDir Path dir;

  private static final String SCHEMA = """
      [{:db/ident :user/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :user/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :user/secret :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""";

  @Test
  void anExcisedValueLeavesThePresentHistoryAndAfterGcEveryFile() throws Exception {
    Path store = dir.resolve("db");
    String uri = "file:" + store;
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    DbRef before;
    long ann;
    try (Connection c = Databases.connect(uri)) {
      c.transact(SCHEMA);
      c.transact("[{:user/id 1 :user/name \"Ann\" :user/secret \"OLD-SECRET-4711\"} {:user/id 2 :user/name \"Ben\" :user/secret \"BEN-KEEPS-THIS\"}]");
      c.transact("[{:user/id 1 :user/secret \"NEW-SECRET-0815\"}]"); // the old one goes to history
      for (int i = 0; i < 30; i++) c.transact(List.of(Map.of("user/id", 100L + i, "user/name", "u" + i)));
      before = c.db().ref().orElseThrow();
      ann = (Long) c.db().q("[:find ?e . :where [?e :user/id 1]]");
      assertThat(StoreFiles.contain(store, "OLD-SECRET-4711")).isTrue();

      var heard = new java.util.concurrent.LinkedBlockingQueue<TxReport>();
      AutoCloseable listening = c.listen(heard::add);
      TxReport r = c.transact("[{:db/excise " + ann + " :db.excise/attrs [:user/secret]}]");
      // a listener hears the excision once, not the rewritten history again
      assertThat(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS).dbAfter().basisT()).isEqualTo(r.dbAfter().basisT());
      c.transact("[{:user/id 9}]");
      assertThat(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS).dbAfter().basisT()).isEqualTo(r.dbAfter().basisT() + 1);
      assertThat(heard).isEmpty();
      listening.close();
      Db db = c.db();
      assertThat(db.basisT()).isEqualTo(r.dbAfter().basisT() + 1);
      assertThat(db.pull("[*]", ann)).containsEntry(Keyword.of("user/name"), "Ann").doesNotContainKey(Keyword.of("user/secret"));
      assertThat(db.history().q("[:find ?v :where [?e :user/secret ?v]]")).isEqualTo(java.util.Set.of(List.of("BEN-KEEPS-THIS")));
      assertThat(db.asOf(3L).q("[:find ?v . :in $ ?e :where [?e :user/secret ?v]]", ann)).isNull();
      assertThat(db.asOf(3L).q("[:find ?n . :in $ ?e :where [?e :user/name ?n]]", ann)).isEqualTo("Ann");
      for (LogEntry e : c.log().txRange(null, null)) {
        assertThat(e.data()).noneMatch(d -> String.valueOf(d.v()).contains("SECRET"));
      }
    }
    // the old commits are garbage now; gc (scrubbing) removes every byte of them
    try (Connection c = Databases.connect(uri)) {
      Map<Keyword, Object> gc = Maintenance.gc(c, true);
      assertThat((Long) gc.get(Keyword.of("deleted"))).isPositive();
      assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).isEqualTo(true);
      assertThat(c.db().q("[:find ?v . :where [?e :user/id 2] [?e :user/secret ?v]]")).isEqualTo("BEN-KEEPS-THIS");
      assertThat(c.db().q("[:find (count ?e) . :where [?e :user/name]]")).isEqualTo(32L);
      DbRef old = before;
      assertThatThrownBy(() -> c.dbAt(old))
          .isInstanceOf(DatahopException.NotFound.class)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("db/commit-gone"));
      c.transact("[{:user/id 3 :user/name \"Cid\"}]");
    }
    assertThat(StoreFiles.contain(store, "OLD-SECRET-4711")).as("the old value").isFalse();
    assertThat(StoreFiles.contain(store, "NEW-SECRET-0815")).as("the current value").isFalse();
    assertThat(StoreFiles.contain(store, "BEN-KEEPS-THIS")).isTrue();
  }

  @Test
  void anExcisionBeforeATKeepsLaterFactsAndAWholeEntityCanGo() {
    try (Connection c = DbFixture.fresh()) {
      c.transact(SCHEMA);
      long t1 = c.transact("[{:user/id 1 :user/name \"Ann\" :user/secret \"first\"}]").dbAfter().basisT();
      c.transact("[{:user/id 1 :user/secret \"second\"}]");
      // enough commits that the history holds a fold (a base) as well as tail commits
      for (int i = 0; i < 520; i++) c.transact(List.of(Map.of("user/id", 1000L + i)));
      long ann = (Long) c.db().q("[:find ?e . :where [?e :user/id 1]]");
      c.transact("[{:db/excise " + ann + " :db.excise/attrs [:user/secret] :db.excise/beforeT " + (t1 + 1) + "}]");
      assertThat(c.db().q("[:find ?v . :in $ ?e :where [?e :user/secret ?v]]", ann)).isEqualTo("second");
      assertThat(c.db().history().q("[:find ?v :in $ ?e :where [?e :user/secret ?v]]", ann)).isEqualTo(java.util.Set.of(List.of("second")));
      c.transact("[{:db/excise " + ann + "}]");
      assertThat(c.db().q("[:find (count ?e) . :where [?e :user/id]]")).isEqualTo(520L);
      assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).isEqualTo(true);
      assertThat(c.db().datoms(IndexType.EAVT, ann)).isEmpty();
      assertThat(c.db().q("[:find ?e . :where [?e :user/id 1]]")).isNull();
      // an excision queued with a transaction after it (one group commit): still applied
      long ben = (Long) c.transact("[{:db/id \"b\" :user/id 2 :user/secret \"ben's\"}]").tempids().get("b");
      var excise = c.transactAsync("[{:db/excise " + ben + " :db.excise/attrs [:user/secret]}]");
      var after = c.transactAsync("[{:user/id 3 :user/name \"Cid\"}]");
      excise.join();
      after.join();
      assertThat(c.db().history().q("[:find ?v . :where [?e :user/id 2] [?e :user/secret ?v]]")).isNull();
      assertThat(c.db().q("[:find ?n . :where [?e :user/id 3] [?e :user/name ?n]]")).isEqualTo("Cid");
    }
  }
}
