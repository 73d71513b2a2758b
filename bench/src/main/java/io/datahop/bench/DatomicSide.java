package io.datahop.bench;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The same dataset loaded into Datomic Peer ({@code datomic:mem://}), for comparison. */
final class DatomicSide {
  private final datomic.Database db;

  private DatomicSide(datomic.Database db) {
    this.db = db;
  }

  static DatomicSide load(String ednText) throws Exception {
    Object form = datomic.Util.readAll(new StringReader(ednText)).get(0);
    Map<?, ?> m = (Map<?, ?>) form;
    String uri = "datomic:mem://bench-" + UUID.randomUUID();
    datomic.Peer.createDatabase(uri);
    datomic.Connection conn = datomic.Peer.connect(uri);
    Object schema = m.get(datomic.Util.read(":schema"));
    if (schema instanceof List<?> l && !l.isEmpty()) {
      conn.transact(l).get();
    }
    conn.transact((List<?>) m.get(datomic.Util.read(":tx-data"))).get();
    return new DatomicSide(conn.db());
  }

  Object q(String query, List<Object> args) {
    List<Object> in = new ArrayList<>();
    in.add(db);
    in.addAll(args);
    return datomic.Peer.q(query, in.toArray());
  }

  Object pullMany(String pattern, List<Object> lookupRefs) {
    return db.pullMany(datomic.Util.read(pattern), toDatomic(lookupRefs));
  }

  Object pull(String pattern, List<Object> lookupRef) {
    return db.pull(datomic.Util.read(pattern), toDatomic(lookupRef));
  }

  private static List<Object> toDatomic(List<?> l) {
    List<Object> out = new ArrayList<>();
    for (Object o : l) {
      out.add(
          switch (o) {
            case io.datahop.edn.Keyword k -> datomic.Util.read(k.toString());
            case List<?> x -> toDatomic(x);
            default -> o;
          });
    }
    return datomic.Util.list(out.toArray());
  }

  static void shutdown() {
    datomic.Peer.shutdown(false);
  }
}
