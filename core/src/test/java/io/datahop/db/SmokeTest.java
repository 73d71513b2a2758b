package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void transactAndRead() {
    try (Connection c = DbFixture.people()) {
      TxReport r = c.transact("[{:db/id \"a\" :name \"Alice\" :age 30 :person/id 1} {:name \"Bob\" :age 25 :friend \"a\"}]");
      long alice = r.tempids().get("a");
      Db db = c.db();
      assertThat(db.entid(List.of(Keyword.of("person/id"), 1L))).isEqualTo(alice);
      assertThat(db.pull("[:name :age]", alice)).isEqualTo(Map.of(Keyword.of("name"), "Alice", Keyword.of("age"), 30L));
      assertThat(db.entity(alice).get(":_friend")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION).hasSize(1);
      assertThat(db.count(IndexType.AEVT, ":name")).isEqualTo(2);
    }
  }
}
