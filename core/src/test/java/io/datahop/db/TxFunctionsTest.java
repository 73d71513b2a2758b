package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transaction functions, attribute predicates and entity specs. */
class TxFunctionsTest {
  private static Object age(Db db, long person) {
    return db.q("[:find ?a . :in $ ?id :where [?e :person/id ?id] [?e :age ?a]]", person);
  }

  /** Adds {@code args[1]} to the :age of person {@code args[0]}, reading the db it is given. */
  static final TxFunction INC_AGE = (db, args) -> {
    long id = (Long) args.get(0);
    Object old = age(db, id);
    return List.of(List.of(Keyword.of("db/add"), List.of(Keyword.of("person/id"), id), Keyword.of("age"),
        (old == null ? 0L : (Long) old) + (Long) args.get(1)));
  };

  @Test
  void aCallIsReplacedByWhatTheFunctionReturnsOnTheDbBefore() {
    try (Connection conn = DbFixture.people()) {
      conn.functions().transactionFunction("my.fn/inc-age", INC_AGE)
          // returns a call of another function beside plain tx-data
          .transactionFunction("my.fn/inc-and-add", (db, args) -> List.of(
              List.of(Keyword.of("my.fn/inc-age"), args.get(0), 1L),
              Map.of(Keyword.of("person/id"), 7L, Keyword.of("name"), "from a nested call")));
      conn.transact("[{:person/id 1 :age 30}]");
      TxReport r = conn.transact("[[:my.fn/inc-age 1 5] {:person/id 2 :name \"Bea\"}]");
      assertThat(age(r.dbAfter(), 1)).isEqualTo(35L);
      assertThat(r.txData()).anyMatch(d -> "Bea".equals(d.v()));
      conn.transact("[[:my.fn/inc-and-add 1]]");
      assertThat(age(conn.db(), 1)).isEqualTo(36L);
      assertThat(conn.db().q("[:find ?n . :where [?e :person/id 7] [?e :name ?n]]")).isEqualTo("from a nested call");
      // Db.with runs functions too
      assertThat(age(conn.db().with("[[:my.fn/inc-age 1 100]]").dbAfter(), 1)).isEqualTo(136L);
    }
  }

  @Test
  void aThrowingFunctionAbortsTheWholeTransaction() {
    try (Connection conn = DbFixture.people()) {
      conn.functions().transactionFunction("my.fn/boom", (db, args) -> {
        throw new IllegalStateException("no " + args.get(0));
      });
      conn.functions().transactionFunction("my.fn/refuse", (db, args) -> {
        throw new DatahopException.Conflict("my/refused", "refused", Map.of("why", "test"), null);
      });
      long t = conn.db().basisT();
      assertThatThrownBy(() -> conn.transact("[{:person/id 5 :name \"Eve\"} [:my.fn/boom \"way\"]]"))
          .isInstanceOf(DatahopException.Incorrect.class)
          .hasMessageContaining("my.fn/boom").hasMessageContaining("no way")
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/function-failed"));
      assertThatThrownBy(() -> conn.transact("[[:my.fn/refuse]]"))
          .isInstanceOf(DatahopException.Conflict.class)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("my/refused"));
      assertThat(conn.db().basisT()).isEqualTo(t);
      assertThat(conn.db().q("[:find ?e . :where [?e :person/id 5]]")).isNull();
      assertThatThrownBy(() -> conn.transact("[[:my.fn/unknown 1]]"))
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/bad-op"));
    }
  }

  @Test
  void functionsAreBoundedAndCannotReplaceTheBuiltIns() {
    try (Connection conn = DbFixture.people()) {
      assertThatThrownBy(() -> conn.functions().transactionFunction("db/add", INC_AGE))
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("db/bad-function-name"));
      assertThatThrownBy(() -> conn.functions().transactionFunction("unqualified", INC_AGE))
          .isInstanceOf(DatahopException.Incorrect.class);
      conn.functions().transactionFunction("my.fn/forever", (db, args) -> List.of(List.of(Keyword.of("my.fn/forever"))));
      assertThatThrownBy(() -> conn.transact("[[:my.fn/forever]]"))
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/function-depth"));
    }
  }

  /** Child: {@code uri n}: {@code n} increments through the function, each its own transaction. */
  public static final class Incrementer {
    public static void main(String[] args) {
      try (Connection c = Databases.connect(args[0])) {
        c.functions().transactionFunction("my.fn/inc-age", INC_AGE);
        for (int i = 0; i < Integer.parseInt(args[1]); i++) c.transact("[[:my.fn/inc-age 1 1]]");
      }
      System.out.println("incrementer done");
    }
  }

  /** A function runs again on the new head when another process committed first: no update is lost. */
  @Test
  void aFunctionRunsAgainWhenAnotherProcessCommitsFirst(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri);
    try (Connection conn = Databases.connect(uri)) {
      conn.transact(DbFixture.PEOPLE_SCHEMA);
      conn.transact("[{:person/id 1 :age 0}]");
      conn.functions().transactionFunction("my.fn/inc-age", INC_AGE);
      Path log = dir.resolve("child.log");
      Process child = ChildJvm.start(log, Incrementer.class, uri, "100");
      for (int i = 0; i < 100; i++) conn.transact("[[:my.fn/inc-age 1 1]]");
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as(Files.readString(log)).isZero();
      assertThat(age(conn.db(), 1)).isEqualTo(200L);
    }
  }

  @Test
  void attributePredicatesCheckEveryAssertedValue() {
    try (Connection conn = DbFixture.people()) {
      conn.functions().attributePredicate("my.pred/even?", v -> v instanceof Long l && l % 2 == 0);
      conn.transact("[{:db/ident :age :db.attr/preds [my.pred/even?]}]");
      conn.transact("[{:person/id 1 :age 30}]");
      assertThatThrownBy(() -> conn.transact("[{:person/id 2 :age 31}]"))
          .isInstanceOf(DatahopException.Incorrect.class)
          .hasMessageContaining(":age").hasMessageContaining("my.pred/even?").hasMessageContaining("31")
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/attribute-predicate"));
      conn.transact("[{:db/ident :name :db.attr/preds [my.pred/nobody]}]");
      assertThatThrownBy(() -> conn.transact("[{:person/id 3 :name \"X\"}]"))
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/unknown-predicate"));
    }
  }

  @Test
  void entitySpecsCheckRequiredAttributesAndPredicatesAndAreNotStored() {
    try (Connection conn = DbFixture.people()) {
      conn.functions().entityPredicate("my.pred/adult?", (db, e) -> {
        Object a = db.pull("[:age]", e).get(Keyword.of("age"));
        return a instanceof Long l && l >= 18;
      });
      conn.transact("[{:db/ident :person/guard :db.entity/attrs [:name :age] :db.entity/preds [my.pred/adult?]}]");
      assertThatThrownBy(() -> conn.transact("[{:person/id 1 :name \"Kid\" :db/ensure :person/guard}]"))
          .hasMessageContaining(":age")
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/entity-attrs-missing"));
      assertThatThrownBy(() -> conn.transact("[{:person/id 1 :name \"Kid\" :age 10 :db/ensure :person/guard}]"))
          .hasMessageContaining("my.pred/adult?")
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("tx/entity-predicate"));
      TxReport ok = conn.transact("[{:person/id 1 :name \"Ann\" :age 30 :db/ensure :person/guard}]");
      long ann = (Long) conn.db().q("[:find ?e . :where [?e :person/id 1]]");
      assertThat(conn.db().pull("[*]", ann)).doesNotContainKey(Keyword.of("db/ensure"));
      assertThat(ok.txData()).noneMatch(d -> d.a() == Schema.ENSURE);
    }
  }
}
