package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection commits a transaction while another thread updates its indices: the commit
 * record is written from the change set alone. Whatever a transaction's {@code dbAfter} shows
 * must be exactly what the store gives back: after a reopen, for the newest commit and for
 * earlier ones by {@link DbRef}. Random transactions of every kind (new entities, upserts that
 * retract, retractions, retractEntity), seeded; pin with {@code -Ddatahop.seed=N}.
 */
class CommitPipelineTest {
  private static final String SCHEMA = "[{:db/ident :p/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
      + " {:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}"
      + " {:db/ident :p/tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
      + " {:db/ident :p/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]";

  @ParameterizedTest(name = "keep-history {0}")
  @ValueSource(booleans = {false, true})
  void whatEveryTransactReturnedIsWhatTheStoreGivesBack(boolean keepHistory, @TempDir Path dir) {
    long seed = Long.getLong("datahop.seed", System.nanoTime());
    System.out.println("CommitPipelineTest seed " + seed + " (pin with -Ddatahop.seed)");
    SplittableRandom rnd = new SplittableRandom(seed);
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri, DbConfig.defaults().withKeepHistory(keepHistory));
    List<DbRef> refs = new ArrayList<>();
    List<List<Datom>> states = new ArrayList<>();
    int nextId = 0;
    try (Connection c = Databases.connect(uri)) {
      c.transact(SCHEMA);
      for (int i = 0; i < 60; i++) {
        String tx = switch (nextId == 0 ? 0 : rnd.nextInt(5)) {
          case 0, 1 -> {
            StringBuilder b = new StringBuilder("[");
            for (int k = 1 + rnd.nextInt(20); k > 0; k--, nextId++) {
              b.append("{:p/id ").append(nextId).append(" :p/name \"n").append(rnd.nextInt(50))
                  .append("\" :p/tags [\"t").append(rnd.nextInt(5)).append("\" \"u").append(rnd.nextInt(5)).append("\"]}");
            }
            yield b.append("]").toString();
          }
          case 2 -> "[{:p/id " + rnd.nextInt(nextId) + " :p/name \"renamed" + i + "\" :p/friend [:p/id " + rnd.nextInt(nextId) + "]}]";
          case 3 -> "[[:db/retract [:p/id " + rnd.nextInt(nextId) + "] :p/tags \"t" + rnd.nextInt(5) + "\"]]";
          default -> "[[:db/retractEntity [:p/id " + rnd.nextInt(nextId) + "]]]";
        };
        TxReport r;
        try {
          r = c.transact(tx);
        } catch (io.datahop.DatahopException.NotFound | io.datahop.DatahopException.Incorrect gone) {
          continue; // an entity retracted before: the lookup ref names nothing
        }
        for (Datom d : r.txData()) {
          boolean there = false;
          for (Datom x : r.dbAfter().datoms(IndexType.EAVT, d.e(), d.a())) {
            there |= Values.equal(x.v(), d.v());
          }
          assertThat(there).as("seed %d tx %d: %s in dbAfter", seed, i, d).isEqualTo(d.added());
        }
        states.add(datoms(r.dbAfter()));
        refs.add(r.dbAfter().ref().orElseThrow());
      }
    }
    try (Connection c = Databases.connect(uri)) {
      assertThat(datoms(c.db())).as("seed %d: newest", seed).isEqualTo(states.getLast());
      for (int i = 0; i < states.size(); i += 1 + rnd.nextInt(6)) {
        assertThat(datoms(c.dbAt(refs.get(i)))).as("seed %d: commit %d", seed, i).isEqualTo(states.get(i));
      }
    }
  }

  private static List<Datom> datoms(Db db) {
    List<Datom> out = new ArrayList<>();
    db.datoms(IndexType.EAVT).forEach(out::add);
    return out;
  }
}
