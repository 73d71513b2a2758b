package io.datahop.bench;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.Datom;
import io.datahop.db.IndexType;
import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Loads an EDN dataset ({@code {:schema [...] :tx-data [...]}}) into an in-memory datahop db. */
final class DatahopSide {
  private DatahopSide() {}

  static Db load(Map<?, ?> dataset) {
    String uri = "mem:bench-" + UUID.randomUUID();
    Databases.create(uri);
    Connection conn = Databases.connect(uri);
    Object schema = dataset.get(Keyword.of("schema"));
    if (schema instanceof List<?> l && !l.isEmpty()) {
      conn.transact(schema);
    }
    conn.transact(dataset.get(Keyword.of("tx-data")));
    return conn.db();
  }

  /** The {@code :person/id} of an entity, or the id itself when it has none. */
  static Object personId(Db db, Object eid) {
    var attr = db.attribute(Keyword.of("person/id"));
    if (attr == null || !(eid instanceof Long e)) {
      return eid;
    }
    for (Datom d : db.datoms(IndexType.EAVT, e, attr.id())) {
      return d.v();
    }
    return eid;
  }
}
