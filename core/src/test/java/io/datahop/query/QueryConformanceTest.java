package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbConfig;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.query.ast.FindSpec;
import io.datahop.query.exec.Values;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query conformance suite: every case of {@code conformance.edn} (Datalog text with the
 * answer Datomic gives) run through {@link Datalog#q}.
 *
 * <p>A case is a map: {@code :name}; {@code :query}; {@code :args} (the inputs; with {@code
 * :tx} the database is prepended as {@code $}); {@code :tx} a list of transactions for a fresh
 * {@code mem:} database ({@code :history true} keeps history and queries {@code db.history()});
 * and either {@code :expect} (a set for relations; a vector compared as a bag for {@code [?x
 * ...]} finds) or {@code :error} (the expected error code). A name pins one case with {@code
 * -Ddatahop.case=NAME}.
 */
class QueryConformanceTest {
  static Stream<Map<?, ?>> cases() throws IOException {
    List<Map<?, ?>> out = new ArrayList<>();
    for (String file : List.of("conformance.edn", "conformance-db.edn", "conformance-datomic-diff.edn")) {
      try (InputStream in = QueryConformanceTest.class.getResourceAsStream(file)) {
        if (in == null) {
          continue;
        }
        for (Object o : Edn.readAll(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
          for (Object c : (List<?>) o) {
            out.add((Map<?, ?>) c);
          }
        }
      }
    }
    String only = System.getProperty("datahop.case");
    return out.stream().filter(c -> only == null || only.equals(get(c, "name")));
  }

  static Object get(Map<?, ?> m, String k) {
    return m.get(Keyword.of(k));
  }

  @ParameterizedTest(name = "{index} {0}")
  @MethodSource("cases")
  void conforms(Map<?, ?> c) {
    String name = (String) get(c, "name");
    List<Object> args = new ArrayList<>();
    if (get(c, "args") instanceof List<?> l) {
      args.addAll(l);
    }
    Connection conn = null;
    try {
      if (get(c, "tx") instanceof List<?> txs) {
        boolean history = Boolean.TRUE.equals(get(c, "history"));
        String uri = "mem:q-" + UUID.randomUUID();
        Databases.create(uri, DbConfig.defaults().withKeepHistory(history));
        conn = Databases.connect(uri);
        for (Object tx : txs) {
          conn.transact(tx);
        }
        Db db = conn.db();
        if (history) {
          db = db.history();
        }
        args.add(0, db);
      }
      Object query = get(c, "query");
      if (get(c, "error") instanceof String code) {
        try {
          Object r = Datalog.q(query, args.toArray());
          fail(name + ": expected error " + code + " but got " + show(r));
        } catch (DatahopException e) {
          assertThat(e.code()).as(name + ": " + e.getMessage()).isEqualTo(code);
        }
        return;
      }
      Object result;
      try {
        result = Datalog.q(query, args.toArray());
      } catch (RuntimeException e) {
        throw new AssertionError(name + ": " + e, e);
      }
      Object expect = get(c, "expect");
      if (c.containsKey(Keyword.of("expect-count"))) {
        assertThat(((Collection<?>) result).size())
            .as(name)
            .isEqualTo(((Number) get(c, "expect-count")).intValue());
        return;
      }
      FindSpec spec = Datalog.parse(query).find();
      boolean bag =
          spec instanceof FindSpec.Coll || (spec instanceof FindSpec.Rel && expect instanceof List);
      Object want = canon(expect, bag);
      Object got = canon(result, bag);
      if (!want.equals(got)) {
        fail(name + "\n  expected: " + Edn.write(expect) + "\n  got:      " + show(result));
      }
    } finally {
      if (conn != null) {
        conn.close();
      }
    }
  }

  private static String show(Object o) {
    try {
      return Edn.write(o);
    } catch (RuntimeException e) {
      return String.valueOf(o);
    }
  }

  /** A canonical, equality-friendly copy: sets as HashSets, lists as lists, ints as longs. */
  static Object canon(Object o, boolean bagAtTop) {
    return switch (o) {
      case null -> "<nil>";
      case Integer i -> i.longValue();
      case Set<?> s -> {
        Set<Object> out = new HashSet<>();
        for (Object x : s) {
          out.add(canon(x, false));
        }
        yield out;
      }
      case Map<?, ?> m -> {
        Map<Object, Object> out = new HashMap<>();
        m.forEach((k, v) -> out.put(canon(k, false), canon(v, false)));
        yield out;
      }
      case Collection<?> l -> {
        List<Object> out = new ArrayList<>();
        for (Object x : l) {
          out.add(canon(x, false));
        }
        if (bagAtTop) {
          out.sort(Values.ORDER);
        }
        yield out;
      }
      default -> o;
    };
  }
}
