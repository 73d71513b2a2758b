package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transaction log: every commit's datoms in t order, also across folds, and in queries. */
class LogTest {
  private static List<LogEntry> all(Log log) {
    List<LogEntry> out = new ArrayList<>();
    log.txRange(null, null).forEach(out::add);
    return out;
  }

  @Test
  void theLogHoldsWhatEachTransactionReportedInTOrder() {
    try (Connection conn = DbFixture.people()) {
      List<TxReport> reports = new ArrayList<>();
      reports.add(conn.transact("[{:db/id \"ann\" :person/id 1 :name \"Ann\" :age 30 :alias [\"A\" \"Annie\"]}]"));
      reports.add(conn.transact("[{:person/id 1 :age 31} [:db/retract [:person/id 1] :alias \"A\"]]"));
      reports.add(conn.transact("[[:db/retractEntity [:person/id 1]]]"));
      Log log = conn.log();
      long first = reports.get(0).dbAfter().basisT();
      List<LogEntry> entries = new ArrayList<>();
      log.txRange(first, null).forEach(entries::add);
      assertThat(entries).hasSize(3);
      for (int i = 0; i < 3; i++) {
        LogEntry e = entries.get(i);
        TxReport r = reports.get(i);
        assertThat(e.t()).isEqualTo(r.dbAfter().basisT());
        assertThat(e.tx()).isEqualTo(r.tempids().get(":db/current-tx"));
        assertThat(new HashSet<>(e.data())).isEqualTo(new HashSet<>(r.txData()));
        assertThat(e.instant()).isNotNull();
      }
      assertThat(entries.get(2).data()).as("retractions are in the log").anyMatch(d -> !d.added());
      // the end is exclusive, as Datomic's tx-range
      List<LogEntry> one = new ArrayList<>();
      log.txRange(first + 1, first + 2).forEach(one::add);
      assertThat(one).extracting(LogEntry::t).containsExactly(first + 1);
      assertThat(log.txRange(first + 10, null)).isEmpty();
      // a log is a value: later commits are not in it
      conn.transact("[{:person/id 2}]");
      assertThat(all(log)).hasSize((int) log.basisT());
      assertThat(all(conn.log())).hasSize((int) log.basisT() + 1);
    }
  }

  @Test
  void commitsThatFoldCarryTheirOwnDatoms() {
    // 513 tail commits make the next one fold (Commits.FOLD_TXS)
    try (Connection conn = DbFixture.people()) {
      Map<Long, Set<Datom>> reported = new java.util.HashMap<>();
      for (int i = 0; i < 600; i++) {
        TxReport r = conn.transact(List.of(Map.of("person/id", (long) i, "name", "p" + i)));
        reported.put(r.dbAfter().basisT(), new HashSet<>(r.txData()));
      }
      int checked = 0;
      for (LogEntry e : conn.log().txRange(null, null)) {
        Set<Datom> expected = reported.get(e.t());
        if (expected == null) continue; // the schema's transaction
        assertThat(new HashSet<>(e.data())).as("t %s", e.t()).isEqualTo(expected);
        checked++;
      }
      assertThat(checked).isEqualTo(600);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void logFunctionsInQueries() {
    try (Connection conn = DbFixture.people()) {
      TxReport a = conn.transact("[{:person/id 1 :name \"Ann\"}]");
      TxReport b = conn.transact("[{:person/id 2 :name \"Ben\"}]");
      Log log = conn.log();
      long ta = a.dbAfter().basisT();
      Object ids = conn.db().q("[:find [?tx ...] :in $ $log ?t1 ?t2 :where [(tx-ids $log ?t1 ?t2) [?tx ...]]]", log, ta, ta + 2);
      assertThat((List<Object>) ids).containsExactlyInAnyOrder(a.tempids().get(":db/current-tx"), b.tempids().get(":db/current-tx"));
      Object names = conn.db().q("""
          [:find [?n ...] :in $ $log ?tx :where
           [(tx-data $log ?tx) [[?e ?a ?v _ ?op]]]
           [?a :db/ident :name] [(ground true) ?op] [(str ?v) ?n]]""", log, b.tempids().get(":db/current-tx"));
      assertThat((List<Object>) names).containsExactly("Ben");
    }
  }
}
