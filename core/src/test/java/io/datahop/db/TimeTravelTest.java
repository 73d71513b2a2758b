package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** asOf, since, history and equality of Db values, including retractions and card-one replacement. */
class TimeTravelTest {
  private static final Keyword AGE = Keyword.of("age");
  private static final Keyword ALIAS = Keyword.of("alias");

  private static List<Datom> list(Iterable<Datom> it) {
    List<Datom> l = new ArrayList<>();
    it.forEach(l::add);
    return l;
  }

  @Test
  void asOfSeesReplacedAndRetractedValues() {
    try (Connection c = DbFixture.people()) {
      long a = c.transact("[{:db/id \"a\" :age 1 :alias [\"x\" \"y\"]}]").tempids().get("a");
      long t1 = c.db().basisT();
      c.transact(List.of(Map.of("db/id", a, "age", 2L)));
      long t2 = c.db().basisT();
      c.transact(List.of(List.of(Keyword.of("db/retract"), a, ALIAS, "x")));
      long t3 = c.db().basisT();
      c.transact(List.of(Map.of("db/id", a, "age", 1L, "alias", "x")));
      Db now = c.db();
      assertThat(now.asOf(t1).entity(a).get(AGE)).isEqualTo(1L);
      assertThat(now.asOf(t2).entity(a).get(AGE)).isEqualTo(2L);
      assertThat((java.util.Set<?>) now.asOf(t2).entity(a).get(ALIAS)).hasSize(2);
      assertThat((java.util.Set<?>) now.asOf(t3).entity(a).get(ALIAS)).hasSize(1);
      assertThat(now.entity(a).get(AGE)).isEqualTo(1L);
      assertThat((java.util.Set<?>) now.entity(a).get(ALIAS)).hasSize(2);
      assertThat(now.asOf(t1 - 1).entity(a).keySet()).isEmpty();
      // every index agrees
      for (IndexType ix : new IndexType[] {IndexType.AEVT, IndexType.AVET}) {
        assertThat(list(now.asOf(t2).datoms(ix, AGE))).extracting(Datom::v).containsExactly(2L);
      }
      // by tx entity id and by instant
      long tx2 = Databases.txEid(t2);
      assertThat(now.asOf(tx2).entity(a).get(AGE)).isEqualTo(2L);
      Instant when = (Instant) now.entity(tx2).get("db/txInstant");
      assertThat(now.asOf(when).basisT()).isEqualTo(now.basisT());
      assertThat(now.asOf(when).entity(a).get(AGE)).isEqualTo(2L);
    }
  }

  @Test
  void sinceSeesOnlyLaterDatoms() {
    try (Connection c = DbFixture.people()) {
      c.transact("[{:name \"old\"}]");
      long t = c.db().basisT();
      c.transact("[{:name \"new\"}]");
      assertThat(list(c.db().since(t).datoms(IndexType.AEVT, Keyword.of("name")))).extracting(Datom::v).containsExactly("new");
    }
  }

  @Test
  void historyHoldsAssertionsAndRetractions() {
    try (Connection c = DbFixture.people()) {
      long a = c.transact("[{:db/id \"a\" :age 1}]").tempids().get("a");
      c.transact(List.of(Map.of("db/id", a, "age", 2L)));
      c.transact(List.of(List.of(Keyword.of("db/retractEntity"), a)));
      Db h = c.db().history();
      assertThat(h.isHistory()).isTrue();
      List<Datom> ds = list(h.datoms(IndexType.EAVT, a, AGE));
      assertThat(ds).extracting(d -> d.v() + ":" + d.added())
          .containsExactly("1:true", "1:false", "2:true", "2:false");
      assertThat(h.count(IndexType.EAVT, a, AGE)).isEqualTo(4);
      assertThat(list(c.db().datoms(IndexType.EAVT, a))).isEmpty();
    }
  }

  @Test
  void noHistoryAttributesKeepNoPast() {
    try (Connection c = DbFixture.people()) {
      c.transact("[{:db/ident :hits :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/noHistory true}]");
      long a = c.transact("[{:db/id \"a\" :hits 1 :age 1}]").tempids().get("a");
      long t = c.db().basisT();
      c.transact(List.of(Map.of("db/id", a, "hits", 2L, "age", 2L)));
      Db past = c.db().asOf(t);
      assertThat(past.entity(a).get(AGE)).isEqualTo(1L);
      assertThat(past.entity(a).get("hits")).isNull();
      assertThat(c.db().entity(a).get("hits")).isEqualTo(2L);
      assertThat(list(c.db().history().datoms(IndexType.EAVT, a, Keyword.of("hits")))).hasSize(1);
    }
  }

  @Test
  void historyNeedsKeepHistory() {
    try (Connection c = DbFixture.fresh(DbConfig.defaults().withKeepHistory(false))) {
      assertThatThrownBy(() -> c.db().history())
          .isInstanceOf(DatahopException.Unsupported.class)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("db/no-history"));
      assertThatThrownBy(() -> c.db().asOf(0L)).isInstanceOf(DatahopException.Unsupported.class);
    }
  }

  @Test
  void dbValuesAreEqualByCommitAndViewAndNeverChange() {
    try (Connection c = DbFixture.people()) {
      c.transact("[{:name \"A\"}]");
      Db d1 = c.db();
      Db d2 = c.db();
      assertThat(d1).isEqualTo(d2).hasSameHashCodeAs(d2);
      assertThat(d1.asOf(1L)).isEqualTo(d2.asOf(1L)).isNotEqualTo(d1);
      c.transact("[{:name \"B\"}]");
      assertThat(c.db()).isNotEqualTo(d1);
      assertThat(d1.count(IndexType.AEVT, Keyword.of("name"))).isEqualTo(1);
      Db rebuilt = c.dbAt(d1.asOf(1L).ref().orElseThrow());
      assertThat(rebuilt).isEqualTo(d1.asOf(1L));
    }
  }

  @Test
  void seekAndIndexRange() {
    try (Connection c = DbFixture.people()) {
      c.transact("[{:name \"a\"} {:name \"b\"} {:name \"c\"} {:name \"d\"}]");
      Db db = c.db();
      assertThat(list(db.indexRange("name", "b", "d"))).extracting(Datom::v).containsExactly("b", "c");
      assertThat(list(db.indexRange(":name", "c", null))).extracting(Datom::v).containsExactly("c", "d");
      List<Datom> seek = list(db.seekDatoms(IndexType.AVET, Keyword.of("name"), "c"));
      assertThat(seek.get(0).v()).isEqualTo("c");
      assertThat(db.count(IndexType.AVET, Keyword.of("name"), "b")).isEqualTo(1);
      assertThat(db.count(IndexType.AVET, Keyword.of("nope"))).isZero();
    }
  }
}
