package io.datahop.db;

import java.util.UUID;

/** Fresh in-memory databases for tests. */
final class DbFixture {
  private DbFixture() {}

  static final String PEOPLE_SCHEMA = """
      [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :person/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/value}
       {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
       {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :alias :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
       {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
       {:db/ident :spouse :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one :db/isComponent true}
       {:db/ident :street :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :sex :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :male} {:db/ident :female}]
      """;

  static Connection fresh() {
    return fresh(DbConfig.defaults());
  }

  static Connection fresh(DbConfig config) {
    String uri = "mem:test-" + UUID.randomUUID();
    Databases.create(uri, config);
    return Databases.connect(uri);
  }

  static Connection people() {
    Connection c = fresh();
    c.transact(PEOPLE_SCHEMA);
    return c;
  }
}
