package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Keyword;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Db values of the real database travel as DbRefs and answer the same after decoding. */
class RealDbWireTest {
  static final String SCHEMA =
      """
      [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
       {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
      """;

  private static final Keyword NAME = Keyword.of("name");

  static List<Datom> list(Iterable<Datom> it) {
    List<Datom> l = new ArrayList<>();
    it.forEach(l::add);
    return l;
  }

  private static Connection fresh(String uri) {
    Databases.create(uri);
    Connection c = Databases.connect(uri);
    c.transact(SCHEMA);
    return c;
  }

  @Test
  void everyViewAnswersTheSameAfterTravelling() {
    try (Connection conn = fresh("mem:wire-" + UUID.randomUUID())) {
      conn.transact("[{:person/id 1 :name \"Alice\" :age 30} {:person/id 2 :name \"Bob\" :age 25}]");
      long t1 = conn.db().basisT();
      conn.transact("[{:person/id 3 :name \"Charlie\" :age 40}]");
      conn.transact("[{:person/id 1 :age 31}]");
      Db db = conn.db();
      FressianCodec codec = FressianCodec.builder().registry(new StoreRegistry().register(conn)).build();
      for (Db view : List.of(db, db.asOf(t1), db.since(t1), db.history(), db.asOf(t1).history())) {
        Db back = (Db) codec.decode(codec.encode(view));
        assertThat(back.ref()).isEqualTo(view.ref());
        assertThat(back.isHistory()).isEqualTo(view.isHistory());
        for (IndexType ix : List.of(IndexType.EAVT, IndexType.AEVT, IndexType.AVET)) {
          assertThat(list(back.datoms(ix))).as("%s %s", view.ref(), ix).isEqualTo(list(view.datoms(ix)));
        }
        if (!view.isHistory()) {
          Object alice = List.of(Keyword.of("person/id"), 1L);
          assertThat(back.entid(alice)).isEqualTo(view.entid(alice));
          if (view.entid(alice) != null) {
            assertThat(back.pull("[*]", alice)).isEqualTo(view.pull("[*]", alice));
          }
        }
      }
    }
  }

  @Test
  void aSnapshotThatTravelsDoesNotSeeLaterTransactions() {
    try (Connection conn = fresh("mem:wire-" + UUID.randomUUID())) {
      conn.transact("[{:name \"Alice\"} {:name \"Bob\"}]");
      byte[] snapshot = FressianCodec.standard().encode(conn.db());
      conn.transact("[{:name \"Charlie\"}]");
      StoreRegistry.global().register(conn);
      try {
        Db back = (Db) FressianCodec.standard().decode(snapshot);
        assertThat(list(back.datoms(IndexType.AEVT, NAME))).extracting(Datom::v).containsExactlyInAnyOrder("Alice", "Bob");
        assertThat(list(conn.db().datoms(IndexType.AEVT, NAME))).hasSize(3);
      } finally {
        StoreRegistry.global().unregister(conn);
      }
    }
  }

  @Test
  void encodedSizeDoesNotGrowWithTheDatabase() {
    try (Connection conn = fresh("mem:w-" + UUID.randomUUID().toString().substring(0, 8))) {
      conn.transact("[{:name \"first\"}]");
      int small = FressianCodec.standard().encode(conn.db()).length;
      for (int b = 0; b < 10; b++) {
        List<Object> tx = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          tx.add(Map.of(NAME, "n" + b + "-" + i, Keyword.of("age"), (long) i));
        }
        conn.transact(tx);
      }
      int large = FressianCodec.standard().encode(conn.db()).length;
      assertThat(large).isEqualTo(small).isLessThan(100);
      assertThat(FressianCodec.standard().encode(conn.db().history()).length).isEqualTo(small);
    }
  }

  @Test
  void aSpeculativeDbFromWithRefusesToTravel() {
    try (Connection conn = fresh("mem:wire-" + UUID.randomUUID())) {
      Db speculative = conn.db().with("[{:name \"maybe\"}]").dbAfter();
      assertThat(speculative.ref()).isEmpty();
      assertThatThrownBy(() -> FressianCodec.standard().encode(Map.of(Keyword.of("db"), speculative)))
          .isInstanceOf(DatahopException.Incorrect.class)
          .hasMessageContaining("a speculative Db (from with) cannot travel");
    }
  }

  @Test
  void autoConnectOpensAnAllowedFileStoreWithDatabasesConnect(@TempDir Path dir) {
    String uri = "file:" + dir.resolve("db");
    byte[] bytes;
    try (Connection conn = fresh(uri)) {
      conn.transact("[{:name \"Alice\"}]");
      bytes = FressianCodec.standard().encode(conn.db());
    }
    StoreRegistry closed = new StoreRegistry();
    FressianCodec refusing = FressianCodec.builder().registry(closed).build();
    assertThatThrownBy(() -> refusing.decode(bytes))
        .isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining(uri);

    StoreRegistry open = new StoreRegistry().allowAutoConnect("file:" + dir);
    FressianCodec codec = FressianCodec.builder().registry(open).build();
    Db back = (Db) codec.decode(bytes);
    try {
      assertThat(list(back.datoms(IndexType.AEVT, NAME))).extracting(Datom::v).containsExactly("Alice");
    } finally {
      open.lookup(back.ref().orElseThrow().storeId()).orElseThrow().close();
    }
  }
}
