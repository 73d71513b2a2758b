package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade: create with config, branches, exists, connect, delete, reopening a file store. */
class DatabasesTest {
  @Test
  void createWithInitialTxAndBranch() {
    String uri = "mem:dbs-" + UUID.randomUUID();
    Databases.create(uri, DbConfig.defaults().withBranch("dev").withInitialTx(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]"));
    assertThat(Databases.exists(uri, "dev")).isTrue();
    assertThat(Databases.exists(uri)).isFalse(); // no main branch
    try (Connection c = Databases.connect(uri, "dev")) {
      assertThat(c.db().attribute("name")).isNotNull();
      assertThat(c.db().basisT()).isEqualTo(1);
    }
    assertThatThrownBy(() -> Databases.connect(uri))
        .isInstanceOf(DatahopException.NotFound.class).hasMessageContaining("main");
    assertThatThrownBy(() -> Databases.create(uri, DbConfig.defaults().withBranch("dev")))
        .isInstanceOf(DatahopException.Conflict.class);
    assertThatThrownBy(() -> DbConfig.defaults().withBranch("no spaces"))
        .isInstanceOf(DatahopException.Incorrect.class);
    Databases.delete(uri);
    assertThat(Databases.exists(uri, "dev")).isFalse();
  }

  @Test
  void missingDatabaseAndDeleteWhileOpen() {
    String uri = "mem:dbs-" + UUID.randomUUID();
    assertThatThrownBy(() -> Databases.connect(uri))
        .isInstanceOf(DatahopException.NotFound.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("db/not-found"));
    Databases.create(uri);
    Connection c = Databases.connect(uri);
    assertThatThrownBy(() -> Databases.delete(uri)).isInstanceOf(DatahopException.Conflict.class);
    Databases.release(c);
    assertThatThrownBy(c::db).isInstanceOf(DatahopException.Unavailable.class);
    Databases.delete(uri);
    assertThat(Databases.exists(uri)).isFalse();
  }

  @Test
  void aFileStoreReopensWithEverythingCommitted(@TempDir Path dir) {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri, DbConfig.defaults().withSchemaOnRead(true));
    DbRef ref;
    try (Connection c = Databases.connect(uri)) {
      for (int i = 0; i < 20; i++) c.transact("[{:n " + i + "}]");
      ref = c.db().asOf(5L).ref().orElseThrow();
    }
    try (Connection c = Databases.connect(uri)) {
      assertThat(c.db().count(IndexType.AEVT, Keyword.of("n"))).isEqualTo(20);
      assertThat(c.db().basisT()).isEqualTo(20);
      Db old = c.dbAt(ref);
      assertThat(old.count(IndexType.AEVT, Keyword.of("n"))).isGreaterThanOrEqualTo(5); // an upper estimate on a view
      long n = 0;
      for (Datom d : old.datoms(IndexType.AEVT, Keyword.of("n"))) n++;
      assertThat(n).isEqualTo(5);
      c.transact("[{:n 99}]"); // schema-on-read survived the reopen
    }
  }
}
