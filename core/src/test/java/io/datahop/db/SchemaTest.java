package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schema as datoms: bootstrap, declaring and changing attributes, schema-on-read. */
class SchemaTest {
  private static String code(Throwable e) {
    return ((DatahopException) e).code();
  }

  @Test
  void systemSchemaIsBootstrapped() {
    try (Connection c = DbFixture.fresh()) {
      Db db = c.db();
      Attribute ident = db.attribute(":db/ident");
      assertThat(ident.id()).isEqualTo(1);
      assertThat(ident.isIdentity()).isTrue();
      assertThat(db.attribute("db/txInstant").valueType()).isEqualTo(Keyword.of("db.type/instant"));
      assertThat(db.entid(Keyword.of("db.type/string"))).isNotNull();
      assertThat(db.ident(db.entid(Keyword.of("db.cardinality/many")))).isEqualTo(Keyword.of("db.cardinality/many"));
      assertThat(db.basisT()).isZero();
    }
  }

  @Test
  void declaredAttributesAreDatomsAndReadBack() {
    try (Connection c = DbFixture.people()) {
      Db db = c.db();
      Attribute friend = db.attribute(Keyword.of("friend"));
      assertThat(friend.isRef()).isTrue();
      assertThat(friend.many()).isTrue();
      assertThat(db.attribute("address").component()).isTrue();
      assertThat(db.attribute("person/email").unique()).isEqualTo(Keyword.of("db.unique/value"));
      assertThat(db.attribute("name").indexed()).isTrue();
      assertThat(db.attribute(friend.id())).isEqualTo(friend);
      assertThat(db.pull("[:db/ident {:db/valueType [:db/ident]}]", friend.id()))
          .isEqualTo(Map.of(Keyword.of("db/ident"), Keyword.of("friend"),
              Keyword.of("db/valueType"), Map.of(Keyword.of("db/ident"), Keyword.of("db.type/ref"))));
      // the schema survives reopening from the store
      Db reopened = c.dbAt(db.ref().orElseThrow());
      assertThat(reopened.attributes()).isEqualTo(db.attributes());
    }
  }

  @Test
  void invalidSchemaIsRejected() {
    try (Connection c = DbFixture.fresh()) {
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/nope :db/cardinality :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("tx/unknown-ident"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-value-type"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/cardinality :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-value-type"));
      assertThatThrownBy(() -> c.transact("[{:db/valueType :db.type/long :db/cardinality :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/missing-ident"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/long :db/cardinality :db.type/long}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-cardinality"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.type/long}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-unique"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/tuple :db/cardinality :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-tuple"));
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/tuple :db/cardinality :db.cardinality/one"
          + " :db/tupleAttrs [:nope :nope2]}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/bad-tuple"));
      // as Datomic: a cardinality is required, and only refs can be components
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/long}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/missing-cardinality"))
          .hasMessageContaining(":x");
      assertThatThrownBy(() -> c.transact("[{:db/ident :x :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + " :db/isComponent true}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/component-not-ref"));
      assertThat(c.db().basisT()).isZero();
    }
  }

  @Test
  void attributeChangesAreValidatedAgainstData() {
    try (Connection c = DbFixture.people()) {
      c.transact("[{:name \"same\" :alias [\"a\" \"b\"]} {:name \"same\"}]");
      assertThatThrownBy(() -> c.transact("[{:db/id :name :db/valueType :db.type/long}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/value-type-change"));
      assertThatThrownBy(() -> c.transact("[{:db/id :name :db/unique :db.unique/value}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/unique-violation"));
      assertThatThrownBy(() -> c.transact("[{:db/id :alias :db/cardinality :db.cardinality/one}]"))
          .satisfies(e -> assertThat(code(e)).isEqualTo("schema/cardinality-violation"));
      // allowed changes take effect in the next transaction
      c.transact("[{:db/id :age :db/cardinality :db.cardinality/many :db/doc \"ages\"}]");
      assertThat(c.db().attribute("age").many()).isTrue();
      c.transact("[{:age [1 2]}]");
      assertThat(c.db().count(IndexType.AEVT, "age")).isEqualTo(2);
      // renaming an attribute keeps its data
      c.transact("[{:db/id :age :db/ident :years}]");
      assertThat(c.db().attribute("years").many()).isTrue();
      assertThat(c.db().attribute("age")).isNull();
      assertThat(c.db().count(IndexType.AEVT, "years")).isEqualTo(2);
    }
  }

  @Test
  void schemaOnReadTakesAnyAttribute() {
    try (Connection c = DbFixture.fresh(DbConfig.defaults().withSchemaOnRead(true))) {
      long a = c.transact("[{:db/id \"a\" :anything \"x\" :count 3 :pair [1 \"b\"]}]").tempids().get("a");
      Db db = c.db();
      assertThat(db.entity(a).get("anything")).isEqualTo("x");
      assertThat(db.entity(a).get("pair")).isEqualTo(List.of(1L, "b"));
      assertThat(db.attribute("count").valueType()).isNull();
      c.transact(List.of(Map.of("db/id", a, "count", 4L)));
      assertThat(c.db().entity(a).get("count")).isEqualTo(4L);
      // declared attributes are still enforced
      c.transact("[{:db/ident :typed :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
      assertThatThrownBy(() -> c.transact("[{:typed \"no\"}]")).satisfies(e -> assertThat(code(e)).isEqualTo("tx/wrong-type"));
    }
  }
}
