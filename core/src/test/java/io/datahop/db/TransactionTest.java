package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every transaction form and every way a transaction is rejected. */
@SuppressWarnings("unchecked")
class TransactionTest {
  private Connection conn;

  @BeforeEach
  void open() {
    conn = DbFixture.people();
  }

  @AfterEach
  void close() {
    conn.close();
  }

  private static Keyword k(String s) {
    return Keyword.of(s);
  }

  private Object v(Db db, long e, String attr) {
    Entity en = db.entity(e);
    return en == null ? null : en.get(attr);
  }

  private long add(String edn, String tempid) {
    return conn.transact(edn).tempids().get(tempid);
  }

  /** Transacting {@code tx} fails with {@code code}. */
  private void refused(String code, String tx) {
    assertThatThrownBy(() -> conn.transact(tx))
        .as(tx)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo(code));
  }

  @Test
  void entityMapsWithJavaKeysInEveryForm() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("db/id", "x");
    m.put(":name", "Ann");
    Map<Object, Object> m2 = new LinkedHashMap<>();
    m2.put(k("db/id"), "y");
    m2.put(k("name"), "Ben");
    m2.put("age", 7);
    TxReport r = conn.transact(List.of(m, m2));
    Db db = r.dbAfter();
    assertThat(v(db, r.tempids().get("x"), "name")).isEqualTo("Ann");
    assertThat(v(db, r.tempids().get("y"), ":age")).isEqualTo(7L);
  }

  @Test
  void txDataMapFormAndVectors() {
    TxReport r = conn.transact("{:tx-data [[:db/add \"a\" :name \"Al\"] [:db/add \"a\" :age 3]]}");
    long a = r.tempids().get("a");
    assertThat(conn.db().pull("[:name :age]", a)).containsEntry(k("name"), "Al").containsEntry(k("age"), 3L);
  }

  @Test
  void negativeTempidsAndAutoTempids() {
    TxReport r = conn.transact(List.of(List.of(k("db/add"), -1L, k("name"), "Neg"), Map.of(k("name"), "Auto")));
    long neg = r.tempids().get(-1L);
    assertThat(v(conn.db(), neg, "name")).isEqualTo("Neg");
    assertThat(conn.db().count(IndexType.AEVT, k("name"))).isEqualTo(2);
  }

  @Test
  void userEntitiesAttributesAndTxLiveInTheirPartitions() {
    TxReport r = conn.transact("[{:db/id \"a\" :name \"A\"}]");
    assertThat(r.tempids().get("a")).isGreaterThanOrEqualTo(Ids.USER_PART);
    long tx = r.tempids().get(":db/current-tx");
    assertThat(Databases.tOf(tx)).isEqualTo(r.dbAfter().basisT());
    assertThat(conn.db().attribute(":name").id()).isLessThan(1000);
    assertThat(r.txData().get(0).e()).isEqualTo(tx);
    assertThat(r.txData().get(0).a()).isEqualTo(Schema.TX_INSTANT);
  }

  @Test
  void nestedMapsAndReverseRefs() {
    TxReport r = conn.transact("""
        [{:db/id "a" :name "A" :friend [{:db/id "f1" :name "F1"} {:person/id 2 :name "F2" :friend {:db/id "f3" :name "F3"}}]
          :address {:street "Main"}}
         {:name "R" :_friend "a"}]""");
    Db db = r.dbAfter();
    long a = r.tempids().get("a");
    @SuppressWarnings("unchecked")
    Set<Entity> friends = (Set<Entity>) db.entity(a).get("friend");
    Set<Object> names = new HashSet<>();
    for (Entity f : friends) names.add(f.get("name"));
    assertThat(names).containsExactlyInAnyOrder("F1", "F2", "R"); // R through :_friend
    assertThat(((Entity) db.entity(a).get("address")).get("street")).isEqualTo("Main");
    Long rId = null;
    for (Datom d : db.datoms(IndexType.AVET, k("name"), "R")) rId = d.e();
    assertThat((Set<Object>) (Set<?>) db.entity(rId).get("_friend")).containsExactly(db.entity(a));
  }

  @Test
  void cardinalityManyCollectionsAndRetractOneValue() {
    long a = add("[{:db/id \"a\" :alias [\"x\" \"y\" \"z\"]}]", "a");
    assertThat((Set<Object>) (Set<?>) v(conn.db(), a, "alias")).containsExactlyInAnyOrder("x", "y", "z");
    conn.transact(List.of(List.of(k("db/retract"), a, k("alias"), "y")));
    assertThat((Set<Object>) (Set<?>) v(conn.db(), a, "alias")).containsExactlyInAnyOrder("x", "z");
    conn.transact(List.of(List.of(k("db/retract"), a, k("alias"))));
    assertThat(v(conn.db(), a, "alias")).isNull();
  }

  @Test
  void cardinalityOneReplacesAndRedundantAssertionIsANoOp() {
    long a = add("[{:db/id \"a\" :name \"A\" :age 1}]", "a");
    TxReport r = conn.transact(List.of(Map.of("db/id", a, "age", 2L)));
    assertThat(r.txData()).hasSize(3); // txInstant, add 2, retract 1
    assertThat(r.txData()).anyMatch(d -> !d.added() && d.v().equals(1L));
    TxReport same = conn.transact(List.of(Map.of("db/id", a, "age", 2L)));
    assertThat(same.txData()).hasSize(1); // only the tx instant
    assertThat(v(conn.db(), a, "age")).isEqualTo(2L);
  }

  @Test
  void lookupRefsAndIdentsAsEntityIds() {
    long a = add("[{:db/id \"a\" :person/id 1 :name \"A\"}]", "a");
    conn.transact("[[:db/add [:person/id 1] :age 5] {:db/id [:person/id 1] :sex :female}]");
    assertThat(v(conn.db(), a, "age")).isEqualTo(5L);
    assertThat(((Entity) v(conn.db(), a, "sex")).get("db/ident")).isEqualTo(k("female"));
    assertThat(((Entity) v(conn.db(), a, "sex")).id()).isEqualTo(conn.db().entid(k("female")));
    conn.transact("[{:name \"B\" :spouse [:person/id 1]}]");
    assertThat(conn.db().entity(a).get("_spouse")).isNotNull();
  }

  @Test
  void upsertThroughIdentityResolvesTempids() {
    long a = add("[{:db/id \"a\" :person/id 1 :name \"A\"}]", "a");
    TxReport r = conn.transact("[{:db/id \"b\" :person/id 1 :age 9}]");
    assertThat(r.tempids().get("b")).isEqualTo(a);
    assertThat(v(conn.db(), a, "name")).isEqualTo("A");
    assertThat(v(conn.db(), a, "age")).isEqualTo(9L);
    // without :db/id an identity value also upserts
    conn.transact("[{:person/id 1 :age 10}]");
    assertThat(v(conn.db(), a, "age")).isEqualTo(10L);
    assertThat(conn.db().count(IndexType.AEVT, k("person/id"))).isEqualTo(1);
  }

  @Test
  void twoTempidsClaimingOneNewIdentityBecomeOneEntity() {
    TxReport r = conn.transact("[{:db/id \"a\" :person/id 7 :name \"A\"} {:db/id \"b\" :person/id 7 :age 3}]");
    assertThat(r.tempids().get("a")).isEqualTo(r.tempids().get("b"));
  }

  @Test
  void upsertConflictWhenATempidMeetsTwoEntities() {
    add("[{:person/id 1 :person/email \"one\"}]", ":db/current-tx");
    add("[{:person/id 2 :person/email \"two\"}]", ":db/current-tx");
    // email is unique/value: asserting it for entity 1 conflicts with entity 2
    assertThatThrownBy(() -> conn.transact("[{:person/id 1 :person/email \"two\"}]"))
        .isInstanceOf(DatahopException.Conflict.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unique-conflict"))
        .hasMessageContaining(":person/email");
  }

  @Test
  void uniqueValueConflictWithinOneTransaction() {
    assertThatThrownBy(() -> conn.transact("[{:person/email \"e\"} {:person/email \"e\"}]"))
        .isInstanceOf(DatahopException.Conflict.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unique-conflict"));
  }

  @Test
  void uniqueValueMayMoveWhenRetractedInTheSameTransaction() {
    long a = add("[{:db/id \"a\" :person/email \"e\"}]", "a");
    TxReport r = conn.transact(List.of(List.of(k("db/retract"), a, k("person/email"), "e"), Map.of("person/email", "e", "name", "B")));
    assertThat(conn.db().entid(List.of(k("person/email"), "e"))).isNotEqualTo(a).isNotNull();
    assertThat(r.txData()).hasSize(4);
  }

  @Test
  void retractEntityCascadesToComponentsAndRemovesRefs() {
    TxReport r = conn.transact("""
        [{:db/id "a" :name "A" :address {:db/id "addr" :street "S"}}
         {:db/id "b" :name "B" :friend "a" :spouse "a"}]""");
    long a = r.tempids().get("a");
    long addr = r.tempids().get("addr");
    long b = r.tempids().get("b");
    conn.transact(List.of(List.of(k("db/retractEntity"), a)));
    Db db = conn.db();
    assertThat(db.datoms(IndexType.EAVT, a)).isEmpty();
    assertThat(db.datoms(IndexType.EAVT, addr)).isEmpty();
    assertThat(db.entity(b).get("friend")).isNull();
    assertThat(db.entity(b).get("spouse")).isNull();
    assertThat(db.entity(b).get("name")).isEqualTo("B");
    assertThat(db.datoms(IndexType.VAET, a)).isEmpty();
  }

  @Test
  void casSucceedsAndFails() {
    long a = add("[{:db/id \"a\" :age 1}]", "a");
    conn.transact(List.of(List.of(k("db/cas"), a, k("age"), 1L, 2L)));
    assertThat(v(conn.db(), a, "age")).isEqualTo(2L);
    assertThatThrownBy(() -> conn.transact(List.of(List.of(k("db/cas"), a, k("age"), 1L, 3L))))
        .isInstanceOf(DatahopException.Conflict.class)
        .satisfies(e -> {
          DatahopException d = (DatahopException) e;
          assertThat(d.code()).isEqualTo("tx/cas-failed");
          assertThat(d.context()).containsEntry("expected", "1").containsEntry("actual", "2");
        });
    // nil expected: only when there is no value
    long b = add("[{:db/id \"b\" :name \"B\"}]", "b");
    conn.transact(List.of(java.util.Arrays.asList(k("db/cas"), b, k("age"), null, 6L)));
    assertThat(v(conn.db(), b, "age")).isEqualTo(6L);
  }

  @Test
  void txMetadataOnTheTransactionEntity() {
    conn.transact("[{:db/ident :source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
    TxReport r = conn.transact("[{:name \"A\"} {:db/id \"datomic.tx\" :source \"import\"} [:db/add :db/current-tx :age 1]]");
    long tx = r.tempids().get(":db/current-tx");
    assertThat(v(conn.db(), tx, "source")).isEqualTo("import");
    assertThat(v(conn.db(), tx, "age")).isEqualTo(1L);
    assertThat(v(conn.db(), tx, "db/txInstant")).isInstanceOf(Instant.class);
  }

  @Test
  void explicitTxInstantMustNotGoBackNorAhead() {
    // as Datomic: not before the previous transaction, not after the transactor's clock
    Instant future = Instant.now().plusSeconds(3600);
    assertThatThrownBy(() -> conn.transact(List.of(Map.of("db/id", "datomic.tx", "db/txInstant", future), Map.of("name", "A"))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/instant-in-future"));
    Instant given = Instant.now();
    TxReport r = conn.transact(List.of(Map.of("db/id", "datomic.tx", "db/txInstant", given), Map.of("name", "A")));
    assertThat(v(conn.db(), r.tempids().get(":db/current-tx"), "db/txInstant")).isEqualTo(given);
    assertThatThrownBy(() -> conn.transact(List.of(Map.of("db/id", "datomic.tx", "db/txInstant", Instant.EPOCH.plusSeconds(5)))))
        .isInstanceOf(DatahopException.Incorrect.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/instant-in-past"));
    // later transactions never go before it either
    TxReport next = conn.transact("[{:name \"B\"}]");
    assertThat((Instant) v(conn.db(), next.tempids().get(":db/current-tx"), "db/txInstant")).isAfterOrEqualTo(given);
  }

  @Test
  void twoEqualCasOpsBothCompareWithTheValueBeforeTheTransaction() {
    long a = add("[{:db/id \"a\" :age 31}]", "a");
    conn.transact(String.format("[[:db/cas %d :age 31 32] [:db/cas %d :age 31 32]]", a, a));
    assertThat(v(conn.db(), a, "age")).isEqualTo(32L);
    assertThatThrownBy(() -> conn.transact(String.format("[[:db/cas %d :age 32 33] [:db/cas %d :age 33 34]]", a, a)))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/cas-failed"));
  }

  @Test
  void compositeTuplesAreMaintained() {
    conn.transact("""
        [{:db/ident :reg/course :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :reg/semester :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :reg/course+semester :db/valueType :db.type/tuple
          :db/tupleAttrs [:reg/course :reg/semester] :db/cardinality :db.cardinality/one
          :db/unique :db.unique/identity}]""");
    long r = add("[{:db/id \"r\" :reg/course \"Bio\" :reg/semester \"F24\"}]", "r");
    assertThat(v(conn.db(), r, "reg/course+semester")).isEqualTo(List.of("Bio", "F24"));
    conn.transact(List.of(Map.of("db/id", r, "reg/semester", "S25")));
    assertThat(v(conn.db(), r, "reg/course+semester")).isEqualTo(List.of("Bio", "S25"));
    conn.transact(List.of(List.of(k("db/retract"), r, k("reg/course"), "Bio")));
    assertThat(v(conn.db(), r, "reg/course+semester")).isEqualTo(java.util.Arrays.asList(null, "S25"));
    assertThatThrownBy(() -> conn.transact("[{:reg/course+semester [\"a\" \"b\"]}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/composite-tuple-write"));
    // the tuple is unique: a second entity with the same pair conflicts
    conn.transact(List.of(Map.of("db/id", r, "reg/course", "Bio")));
    assertThatThrownBy(() -> conn.transact("[{:reg/course \"Bio\" :reg/semester \"S25\"}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unique-conflict"));
  }

  @Test
  void heterogeneousAndHomogeneousTuples() {
    conn.transact("""
        [{:db/ident :pt :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/string] :db/cardinality :db.cardinality/one}
         {:db/ident :tags :db/valueType :db.type/tuple :db/tupleType :db.type/keyword :db/cardinality :db.cardinality/one}]""");
    long a = add("[{:db/id \"a\" :pt [1 \"x\"] :tags [:a :b :c]}]", "a");
    assertThat(v(conn.db(), a, "pt")).isEqualTo(List.of(1L, "x"));
    assertThat(v(conn.db(), a, "tags")).isEqualTo(List.of(k("a"), k("b"), k("c")));
    assertThatThrownBy(() -> conn.transact("[{:pt [\"x\" 1]}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/wrong-type"));
  }

  @Test
  void everyValueTypeRoundTrips() {
    conn.transact("""
        [{:db/ident :t/s :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :t/l :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :t/d :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
         {:db/ident :t/f :db/valueType :db.type/float :db/cardinality :db.cardinality/one}
         {:db/ident :t/b :db/valueType :db.type/boolean :db/cardinality :db.cardinality/one}
         {:db/ident :t/k :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
         {:db/ident :t/y :db/valueType :db.type/symbol :db/cardinality :db.cardinality/one}
         {:db/ident :t/u :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
         {:db/ident :t/i :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :t/bi :db/valueType :db.type/bigint :db/cardinality :db.cardinality/one}
         {:db/ident :t/bd :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
         {:db/ident :t/by :db/valueType :db.type/bytes :db/cardinality :db.cardinality/one}
         {:db/ident :t/uri :db/valueType :db.type/uri :db/cardinality :db.cardinality/one}]""");
    java.util.UUID u = java.util.UUID.randomUUID();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("db/id", "a");
    m.put("t/s", "str");
    m.put("t/l", 42);
    m.put("t/d", 1.5);
    m.put("t/f", 2.5f);
    m.put("t/b", true);
    m.put("t/k", k("kw"));
    m.put("t/y", io.datahop.edn.Symbol.of("sym"));
    m.put("t/u", u);
    m.put("t/i", Instant.parse("2020-01-01T00:00:00.123456789Z"));
    m.put("t/bi", new java.math.BigInteger("123456789012345678901234567890"));
    m.put("t/bd", new java.math.BigDecimal("3.14159"));
    m.put("t/by", new byte[] {1, 2, (byte) 255});
    m.put("t/uri", java.net.URI.create("https://example.org/x?y#z"));
    long a = conn.transact(List.of(m)).tempids().get("a");
    // reopen from the store so the values come back through the codec
    Db db = conn.dbAt(conn.db().ref().orElseThrow());
    Entity e = db.entity(a);
    assertThat(e.get("t/l")).isEqualTo(42L);
    assertThat(e.get("t/f")).isEqualTo(2.5f);
    assertThat(e.get("t/u")).isEqualTo(u);
    assertThat(e.get("t/i")).isEqualTo(Instant.parse("2020-01-01T00:00:00.123456789Z"));
    assertThat(e.get("t/bd")).isEqualTo(new java.math.BigDecimal("3.14159"));
    assertThat((byte[]) e.get("t/by")).containsExactly(1, 2, 255);
    assertThat(e.get("t/uri")).isEqualTo(java.net.URI.create("https://example.org/x?y#z"));
    assertThatThrownBy(() -> db.entid(List.of(k("t/s"), "str"))) // lookup refs need unique attrs
        .satisfies(x -> assertThat(((DatahopException) x).code()).isEqualTo("db/lookup-ref-attr-not-unique"));
  }

  @Test
  void aNumberOfAnotherKindIsRefusedNotWidened() {
    // as Datomic 1.0.7622 (bench's differential tx-long-for-double, tx-double-for-bigdec, …)
    conn.transact("""
        [{:db/ident :n/d :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
         {:db/ident :n/f :db/valueType :db.type/float :db/cardinality :db.cardinality/one}
         {:db/ident :n/bd :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
         {:db/ident :n/bi :db/valueType :db.type/bigint :db/cardinality :db.cardinality/one}
         {:db/ident :n/l :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""");
    for (String tx : List.of(
        "[{:n/d 8}]", "[[:db/add \"x\" :n/d 8]]", "[{:n/d 1.5M}]", "[{:n/bd 1.5}]", "[{:n/bd 14}]",
        "[{:n/bd 14N}]", "[{:n/bi 14}]", "[{:n/l 14N}]", "[{:n/l 1.0}]", "[{:n/f 1}]")) {
      refused("tx/wrong-type", tx);
    }
    // the fast path for new entities refuses them too, whatever the form
    assertThatThrownBy(() -> conn.transact(List.of(Map.of("n/d", 8L), Map.of("n/d", 9L))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/wrong-type"));
    assertThatThrownBy(() -> conn.transact(List.of(Map.of("n/d", 8))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/wrong-type"));
    // what does fit: the same kind, Java's narrower forms of it, and a double for a float
    long e = add("[{:db/id \"e\" :n/d 8.0 :n/f 1.5 :n/bd 14.00M :n/bi 14N :n/l 14}]", "e");
    // nor does a query constant of another kind match (find-double-long-const: Datomic finds nothing)
    assertThat(conn.db().q("[:find ?e . :where [?e :n/d 8]]")).isNull();
    assertThat(conn.db().q("[:find ?e . :where [?e :n/d 8.0]]")).isEqualTo(e);
    TxReport r = conn.transact(List.of(Map.of(k("db/id"), e, k("n/l"), 15, k("n/d"), 2.5f)));
    Entity en = r.dbAfter().entity(e);
    assertThat(en.get("n/l")).isEqualTo(15L);
    assertThat(en.get("n/d")).isEqualTo(2.5);
    assertThat(en.get("n/f")).isEqualTo(1.5f);
    assertThat(en.get("n/bd")).isEqualTo(new java.math.BigDecimal("14.00"));
  }

  private static String resource(String name) throws java.io.IOException {
    try (java.io.InputStream in = TransactionTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aDatomicSchemaFileTransactsUnchanged() throws Exception {
    conn.transact(resource("datomic-style-schema.edn"));
    TxReport r = conn.transact(resource("datomic-style-data.edn"));
    Db db = r.dbAfter();
    assertThat(db.q("""
        [:find ?n ?t ?h :where [?c :community/name ?n] [?c :community/type ?ti] [?ti :db/ident ?t]
         [?c :community/neighborhood ?nh] [?nh :neighborhood/name ?h]]""")).isEqualTo(Set.of(
        List.of("15th Ave Community", k("community.type/email-list"), "Capitol Hill"),
        List.of("Capitol Hill Triangle", k("community.type/twitter"), "Capitol Hill")));
    // the same #db/id index is one entity; the tempids map has the Tempid itself as its key
    Tempid hill = new Tempid(k("seattle"), -1000001);
    assertThat(r.tempids().get(hill)).isEqualTo(db.entid(List.of(k("neighborhood/name"), "Capitol Hill")));
    assertThat(db.pull("[:community/url]", List.of(k("community/name"), "15th Ave Community")))
        .containsEntry(k("community/url"), java.net.URI.create("http://groups.yahoo.com/group/15thAve_Community/"));
    assertThat(db.attribute(k("community/category")).indexed()).isTrue();
    assertThat(db.attribute(k("community/url")).valueType()).isEqualTo(k("db.type/uri"));
    // attributes got attribute ids (small), the rest user-partition ids
    assertThat(db.attribute(k("community/name")).id()).isLessThan(Ids.USER_PART);
    assertThat(r.tempids().get(hill)).isGreaterThanOrEqualTo(Ids.USER_PART);
    // the install and alter datoms are accepted, not kept (docs/database.md)
    assertThat((java.util.Collection<?>) db.q("[:find ?a :where [:db.part/db :db/ident ?a]]")).hasSize(1);
    assertThat(db.attribute(k("db.install/attribute"))).isNull();
    // the partition: a tempid of it is a new entity, like one of :db.part/user
    long e = conn.transact("[{:db/id #db/id [:seattle -1] :neighborhood/name \"Fremont\"}]")
        .tempids().get(new Tempid(k("seattle"), -1));
    assertThat(v(conn.db(), e, "neighborhood/name")).isEqualTo("Fremont");
  }

  @Test
  void aDbIdTempidNamesAPartitionTheDatabaseHas() {
    refused("tx/unknown-partition", "[{:db/id #db/id [:no.such/part] :name \"x\"}]");
    refused("tx/not-a-partition", "[{:db/id #db/id [:name] :name \"x\"}]");
    // a value-only #db/id tempid is refused as a string one is
    refused("tx/tempid-not-an-entity", "[{:name \"x\" :friend #db/id [:db.part/user -3]}]");
    // the tx partition names the transaction entity, as Datomic's #db/id [:db.part/tx]
    TxReport r = conn.transact("[{:db/id #db/id [:db.part/tx] :name \"tx note\"} {:name \"x\"}]");
    long tx = r.txData().get(0).tx();
    assertThat(v(r.dbAfter(), tx, "name")).isEqualTo("tx note");
    // install and alter datoms in vector form, and pointing elsewhere, add nothing
    conn.transact("""
        [{:db/id #db/id [:db.part/db -5] :db/ident :nick :db/valueType :db.type/string
          :db/cardinality :db.cardinality/one}
         [:db/add :db.part/db :db.install/attribute #db/id [:db.part/db -5]]]""");
    conn.transact("[{:db/id :nick :db/doc \"a nick\" :db.alter/_attribute :db.part/user}]");
    assertThat(conn.db().attribute(k("nick"))).isNotNull();
    assertThat(conn.db().q("[:find ?d . :where [:nick :db/doc ?d]]")).isEqualTo("a nick");
  }

  @Test
  void unknownAttributeIsRejectedAndNamed() {
    assertThatThrownBy(() -> conn.transact("[{:nope 1}]"))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining(":nope")
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unknown-attribute"));
  }

  @Test
  void wrongTypeIsRejectedAndNamed() {
    assertThatThrownBy(() -> conn.transact("[{:age \"old\"}]"))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining(":age").hasMessageContaining("old")
        .satisfies(e -> assertThat(((DatahopException) e).context()).containsEntry("attribute", ":age"));
  }

  @Test
  void cardinalityConflictInOneTransaction() {
    assertThatThrownBy(() -> conn.transact("[[:db/add \"a\" :age 1] [:db/add \"a\" :age 2]]"))
        .isInstanceOf(DatahopException.Conflict.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/cardinality-conflict"));
  }

  @Test
  void assertAndRetractOfOneDatomConflict() {
    long a = add("[{:db/id \"a\" :age 1}]", "a");
    assertThatThrownBy(() -> conn.transact(List.of(List.of(k("db/retract"), a, k("age"), 1L), List.of(k("db/add"), a, k("age"), 1L))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/datoms-conflict"));
  }

  @Test
  void aNestedMapUnderARefThatIsNoComponentMustSayWhichEntityItIs() {
    // as Datomic (:db.error/invalid-nested-entity): no :db/id and no identity attribute would make
    // a new entity nothing owns on every run of the transaction
    assertThatThrownBy(() -> conn.transact("[{:name \"A\" :spouse {:name \"B\"}}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/invalid-nested-entity"))
        .hasMessageContaining(":spouse");
    assertThatThrownBy(() -> conn.transact("[{:name \"A\" :friend [{:person/email \"b@x\"}]}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/invalid-nested-entity"));
    assertThatThrownBy(() -> conn.transact("[{:name \"A\" :address {}}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/empty-entity"));
    long b = add("[{:db/id \"b\" :person/id 7 :name \"B\"}]", "b");
    TxReport r = conn.transact("[{:db/id \"a\" :name \"A\" :spouse {:person/id 7 :age 40}}"
        + " {:db/id \"c\" :name \"C\" :spouse {:db/id [:person/id 7] :alias [\"s\"]}}]");
    assertThat(((Entity) v(r.dbAfter(), r.tempids().get("a"), "spouse")).get("age")).isEqualTo(40L);
    assertThat((Set<Object>) ((Entity) v(r.dbAfter(), r.tempids().get("a"), "spouse")).get("alias")).containsExactly("s");
    assertThat(((Entity) v(r.dbAfter(), r.tempids().get("c"), "spouse")).get(":db/id")).isEqualTo(b);
  }

  @Test
  void aTempidUsedOnlyAsAValueIsRefusedAndAMapOfItsIdAloneAssertsNothing() {
    long a = add("[{:db/id \"a\" :name \"A\"}]", "a");
    assertThatThrownBy(() -> conn.transact(List.of(List.of(k("db/add"), a, k("spouse"), "ghost"))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/tempid-not-an-entity"))
        .hasMessageContaining("ghost");
    assertThatThrownBy(() -> conn.transact("[{:db/id \"x\" :_spouse " + a + "}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/tempid-not-an-entity"));
    long before = conn.db().basisT();
    TxReport r = conn.transact("[{:db/id \"lonely\"} {}]");
    assertThat(r.txData()).hasSize(1); // the transaction's own :db/txInstant
    assertThat(r.dbAfter().basisT()).isEqualTo(before + 1);
    assertThatThrownBy(() -> conn.transact(List.of(Map.of(k("db/id"), "lonely"), List.of(k("db/add"), a, k("spouse"), "lonely"))))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/tempid-not-an-entity"));
    // a tempid that is the entity of some assertion may also be a value, in any order
    TxReport ok = conn.transact(List.of(List.of(k("db/add"), a, k("spouse"), "later"), Map.of(k("db/id"), "later", k("name"), "L")));
    assertThat(((Entity) v(ok.dbAfter(), a, "spouse")).get("name")).isEqualTo("L");
  }

  @Test
  void assertingATrueValueAgainConflictsWithRetractingItInTheSameTransaction() {
    long a = add("[{:db/id \"a\" :name \"A\" :age 30 :alias [\"x\"]}]", "a");
    for (String tx : List.of(
        "[[:db/add %d :age 30] [:db/retract %d :age 30]]",
        "[[:db/add %d :alias \"x\"] [:db/retract %d :alias]]",
        "[[:db/add %d :age 30] [:db/retractEntity %d]]")) {
      refused("tx/datoms-conflict", String.format(tx, a, a));
    }
    assertThatThrownBy(() -> conn.transact(String.format("[[:db/add %d :age 30] [:db/add %d :age 31]]", a, a)))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/cardinality-conflict"));
    // alone, asserting a true value again is a no-op
    TxReport r = conn.transact(String.format("[[:db/add %d :age 30]]", a));
    assertThat(r.txData()).hasSize(1);
    assertThat(v(conn.db(), a, "age")).isEqualTo(30L);
  }

  @Test
  void explicitRetractionsAreDatomsOfTheTransactionEvenOfAbsentValues() {
    // as Datomic: retracting a value that is not there still conflicts with asserting it, and a
    // cardinality-one attribute cannot have two values retracted
    long a = add("[{:db/id \"a\" :age 30 :alias [\"x\"]}]", "a");
    for (String tx : List.of(
        "[[:db/retract %d :age 98] [:db/retract %d :age 99]]",
        "[[:db/retract %d :age 30] [:db/retract %d :age 99]]",
        "[[:db/retract %d :age 99] [:db/add %d :age 99]]",
        "[[:db/retract %d :alias \"zz\"] [:db/add %d :alias \"zz\"]]",
        "[[:db/retractEntity %d] [:db/retract %d :age 99]]")) {
      refused("tx/datoms-conflict", String.format(tx, a, a));
    }
    // but retracting an absent value and asserting another is fine, and so are absent many values
    conn.transact(String.format("[[:db/retract %d :age 99] [:db/add %d :age 31]]", a, a));
    conn.transact(String.format("[[:db/retract %d :alias \"p\"] [:db/retract %d :alias \"q\"]]", a, a));
    assertThat(v(conn.db(), a, "age")).isEqualTo(31L);
  }

  @Test
  void retractingEveryValueLeavesWhatTheSameTransactionAdds() {
    long a = add("[{:db/id \"a\" :age 30 :alias [\"x\" \"y\"]}]", "a");
    conn.transact(String.format("[[:db/add %d :alias \"z\"] [:db/retract %d :alias] [:db/add %d :age 31] [:db/retract %d :age]]", a, a, a, a));
    assertThat((Set<Object>) v(conn.db(), a, "alias")).containsExactly("z");
    assertThat(v(conn.db(), a, "age")).isEqualTo(31L);
  }

  @Test
  void aTempidCannotBeTheEntityOfRetractEveryValueOrOfCas() {
    // a new entity has nothing to retract or compare (Datomic refuses both; [:db/retract t a v]
    // it takes as a no-op, and so does datahop)
    for (String tx : List.of("[[:db/retract \"t\" :age] {:db/id \"t\" :name \"T\"}]",
        "[[:db/cas \"t\" :age nil 1] {:db/id \"t\" :name \"T\"}]")) {
      refused("tx/tempid-not-allowed", tx);
    }
    TxReport r = conn.transact("[[:db/retract \"t\" :age 1] {:db/id \"t\" :name \"T\"}]");
    assertThat(v(r.dbAfter(), r.tempids().get("t"), "name")).isEqualTo("T");
  }

  @Test
  void retractingTheEntityOfALookupRefThatMatchesNothingChangesNothing() {
    long before = conn.db().basisT();
    TxReport r = conn.transact("[[:db/retractEntity [:person/id 404]]]");
    assertThat(r.txData()).hasSize(1);
    assertThat(r.dbAfter().basisT()).isEqualTo(before + 1);
    // elsewhere a lookup ref that matches nothing is still an error
    assertThatThrownBy(() -> conn.transact("[[:db/retract [:person/id 404] :age 1]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/lookup-ref-not-found"));
  }

  @Test
  void badFormsAreRejected() {
    assertThatThrownBy(() -> conn.transact("[[:db/frob 1 2]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/bad-op"));
    assertThatThrownBy(() -> conn.transact("[42]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/bad-tx-data"));
    assertThatThrownBy(() -> conn.transact("{:foo 1}"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/bad-tx-data"));
    assertThatThrownBy(() -> conn.transact("[[:db/add [:name \"x\"] :age 1]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/lookup-ref-attr-not-unique"));
    assertThatThrownBy(() -> conn.transact("[[:db/add [:person/id 404] :age 1]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/lookup-ref-not-found"));
    assertThatThrownBy(() -> conn.transact("[[:db/add :no-such-ident :age 1]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unknown-ident"));
    assertThatThrownBy(() -> conn.transact("[{:spouse :no-such-ident}]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unknown-ident"));
    assertThatThrownBy(() -> conn.transact("[[:db/add \"a\" :age nil]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/nil-value"));
    assertThatThrownBy(() -> conn.transact("[[:db/add 1.5 :age 1]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/bad-entity-id"));
    long existing = add("[{:db/id \"e\" :name \"E\"}]", "e");
    assertThatThrownBy(() -> conn.transact("[[:db/cas " + existing + " :alias \"x\" \"y\"]]"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/cas-cardinality-many"));
    assertThatThrownBy(() -> conn.transact("[[:db/add \"a\" :name"))
        .isInstanceOf(DatahopException.Incorrect.class);
  }

  @Test
  void errorsQuoteTheOffendingFormAsEdn() {
    Map<String, Object> person = new LinkedHashMap<>();
    person.put("age", "forty");
    assertThatThrownBy(() -> conn.transact(List.of(person)))
        .hasMessageContaining("{\"age\" \"forty\"}")
        .satisfies(e -> assertThat(((DatahopException) e).context()).containsEntry("form", "{\"age\" \"forty\"}"));
    assertThatThrownBy(() -> conn.transact("[[:db/frob 1 :age 2]]"))
        .hasMessageContaining("[:db/frob 1 :age 2]");
  }

  @Test
  void literalEntityIdsMustHaveBeenAllocated() {
    long a = add("[{:db/id \"a\" :person/id 1 :age 1}]", "a");
    long nextUser = a + 1000;
    long futureTx = conn.db().basisT() + Ids.TX_PART + 5;
    for (String tx : List.of(
        "[[:db/add " + nextUser + " :age 2]]",
        "[{:db/id " + nextUser + " :age 2}]",
        "[[:db/retract " + nextUser + " :age 2]]",
        "[[:db/cas " + nextUser + " :age nil 2]]",
        "[[:db/add " + futureTx + " :age 2]]",
        "[[:db/add 99999 :age 2]]",
        "[[:db/add 0 :age 2]]",
        "[[:db/add " + (5L << 42) + " :age 2]]")) {
      assertThatThrownBy(() -> conn.transact(tx)).as(tx)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/invalid-entity-id"))
          .hasMessageContaining("invalid entity id");
    }
    // allocated ids of every partition are fine, and as in Datomic neither a ref value nor a
    // retractEntity of an unallocated id is refused
    long tx = conn.db().basisT() + Ids.TX_PART;
    conn.transact("[[:db/add " + a + " :age 3] [:db/add " + tx + " :db/doc \"tx note\"] [:db/add :age :db/doc \"years\"]"
        + " [:db/add " + a + " :spouse " + nextUser + "] [:db/retractEntity " + (nextUser + 1) + "]]");
    assertThat(v(conn.db(), a, "age")).isEqualTo(3L);
  }

  @Test
  void aRejectedTransactionChangesNothing() {
    long a = add("[{:db/id \"a\" :person/id 1 :age 1}]", "a");
    Db before = conn.db();
    assertThatThrownBy(() -> conn.transact("[{:db/id [:person/id 1] :age 2} {:name \"new\"} {:age \"bad\"}]"))
        .isInstanceOf(DatahopException.Incorrect.class);
    Db after = conn.db();
    assertThat(after).isEqualTo(before);
    assertThat(after.basisT()).isEqualTo(before.basisT());
    assertThat(v(after, a, "age")).isEqualTo(1L);
    assertThat(after.count(IndexType.AEVT, k("name"))).isZero();
  }

  @Test
  void withIsSpeculativeAndCannotTravel() {
    Db db = conn.db();
    TxReport r = db.with("[{:db/id \"a\" :name \"Ghost\"}]");
    assertThat(v(r.dbAfter(), r.tempids().get("a"), "name")).isEqualTo("Ghost");
    assertThat(r.dbAfter().ref()).isEmpty();
    assertThat(conn.db().count(IndexType.AEVT, k("name"))).isZero();
    assertThat(conn.db().basisT()).isEqualTo(db.basisT());
  }

  @Test
  void listenersSeeEveryCommitOnceInOrderAndNothingAfterClosing() throws Exception {
    var seen = new java.util.concurrent.LinkedBlockingQueue<TxReport>();
    TxReport a;
    TxReport b;
    try (AutoCloseable l = conn.listen(seen::add)) {
      a = conn.transact("[{:db/id \"a\" :name \"A\"}]");
      b = conn.transactAsync("[{:name \"B\"}]").join();
      TxReport first = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      TxReport second = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first.dbAfter().basisT()).isEqualTo(a.dbAfter().basisT());
      assertThat(first.tempids()).as("this connection's own report").containsKey("a");
      assertThat(first.txData()).isEqualTo(a.txData());
      assertThat(second.dbAfter().basisT()).isEqualTo(b.dbAfter().basisT());
    }
    conn.transact("[{:name \"C\"}]");
    // deliveries are in order on one thread: once a later listener saw D, C was delivered too
    var later = new java.util.concurrent.LinkedBlockingQueue<TxReport>();
    try (AutoCloseable l = conn.listen(later::add)) {
      TxReport d = conn.transact("[{:name \"D\"}]");
      assertThat(later.poll(10, java.util.concurrent.TimeUnit.SECONDS).dbAfter().basisT()).isEqualTo(d.dbAfter().basisT());
    }
    assertThat(seen).as("nothing after the listener was closed").isEmpty();
  }

  @Test
  void aSlowListenerDoesNotHoldUpTheWriter() throws Exception {
    var release = new java.util.concurrent.CountDownLatch(1);
    var seen = new java.util.concurrent.LinkedBlockingQueue<Long>();
    try (AutoCloseable l = conn.listen(r -> {
      seen.add(r.dbAfter().basisT());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    })) {
      long first = conn.transact("[{:name \"A\"}]").dbAfter().basisT();
      assertThat(seen.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(first);
      // the listener is blocked in its first call; the writer commits on regardless
      for (int i = 0; i < 20; i++) conn.transact("[{:name \"more\"}]");
      release.countDown();
      for (int i = 1; i <= 20; i++) assertThat(seen.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(first + i);
    }
  }

  @Test
  void concurrentTransactsAreGroupCommittedAndAllLand() throws Exception {
    int n = 200;
    var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<TxReport>>();
    ConnectionImpl ci = (ConnectionImpl) conn;
    for (int i = 0; i < n; i++) futures.add(ci.transactAsync(List.of(Map.of("person/id", (long) i))));
    for (var f : futures) f.join();
    assertThat(conn.db().count(IndexType.AEVT, k("person/id"))).isEqualTo(n);
    Set<Long> ts = new HashSet<>();
    for (var f : futures) ts.add(f.join().dbAfter().basisT());
    assertThat(ts).hasSize(n);
  }
}
