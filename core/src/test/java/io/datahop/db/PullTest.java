package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pull API, compared as EDN text. */
class PullTest {
  private Connection conn;
  private Map<Object, Long> ids;

  @BeforeEach
  void open() {
    conn = DbFixture.people();
    ids = conn.transact("""
        [{:db/id "a" :person/id 1 :name "Ann" :age 30 :alias ["x" "y"] :address {:db/id "ad" :street "Main"}
          :friend ["b" "c"] :sex :female}
         {:db/id "b" :person/id 2 :name "Ben" :friend ["c"]}
         {:db/id "c" :person/id 3 :name "Cy" :friend ["a"]}]""").tempids();
  }

  @AfterEach
  void close() {
    conn.close();
  }

  private String pull(String pattern, Object eid) {
    return Edn.write(conn.db().pull(pattern, eid));
  }

  private long id(String t) {
    return ids.get(t);
  }

  @Test
  void attributesAndLookupRefs() {
    assertThat(pull("[:name :age]", List.of(Keyword.of("person/id"), 1L))).isEqualTo("{:name \"Ann\", :age 30}");
    assertThat(pull("[:name :nope]", id("b"))).isEqualTo("{:name \"Ben\"}");
    assertThat(conn.db().pull("[:name]", 999_999L)).isNull();
  }

  @Test
  void dbIdAndRefsAsIdMaps() {
    assertThat(pull("[:db/id :spouse :sex]", id("a")))
        .isEqualTo("{:db/id " + id("a") + ", :sex {:db/id " + conn.db().entid(Keyword.of("female")) + "}}");
  }

  @Test
  void nestedAndReverse() {
    assertThat(pull("[:name {:friend [:name]}]", id("a"))).isEqualTo("{:name \"Ann\", :friend [{:name \"Ben\"} {:name \"Cy\"}]}");
    assertThat(pull("[:name {:_friend [:name]}]", id("c"))).isEqualTo("{:name \"Cy\", :_friend [{:name \"Ann\"} {:name \"Ben\"}]}");
    assertThat(pull("[{:sex [:db/ident]}]", id("a"))).isEqualTo("{:sex {:db/ident :female}}");
    // a component's reverse is its single owner
    assertThat(pull("[{:_address [:name]}]", id("ad"))).isEqualTo("{:_address {:name \"Ann\"}}");
  }

  @Test
  void wildcardPullsComponentsRecursively() {
    String s = pull("[*]", id("a"));
    assertThat(s).contains(":address {:db/id " + id("ad") + ", :street \"Main\"}")
        .contains(":alias [\"x\" \"y\"]").contains(":db/id " + id("a"))
        .contains(":friend [{:db/id " + id("b") + "} {:db/id " + id("c") + "}]");
    assertThat(pull("[* {:friend [:name]}]", id("a"))).contains(":friend [{:name \"Ben\"} {:name \"Cy\"}]");
  }

  @Test
  void optionsInBothSyntaxes() {
    assertThat(pull("[[:name :as \"n\"] (:age :as :years) [:alias :limit 1] [:spouse :default \"none\"]]", id("a")))
        .isEqualTo("{\"n\" \"Ann\", :years 30, :alias [\"x\"], :spouse \"none\"}");
    assertThat(pull("[(limit :alias 1) (default :age 0)]", id("b"))).isEqualTo("{:age 0}");
    assertThat(pull("[[:alias :limit nil]]", id("a"))).isEqualTo("{:alias [\"x\" \"y\"]}");
  }

  @Test
  void recursionUnboundedStopsAtCyclesAndDepthLimits() {
    // a -> b, c; b -> c; c -> a (cycles). As Datomic: an entity already entered by recursion
    // comes back without its recursive attribute; the root was not entered by recursion.
    String unbounded = pull("[:name {:friend ...}]", id("b"));
    assertThat(unbounded).isEqualTo("{:name \"Ben\", :friend [{:name \"Cy\", :friend [{:name \"Ann\", :friend ["
        + "{:name \"Ben\", :friend [{:name \"Cy\"}]} {:name \"Cy\"}]}]}]}");
    // past the depth limit the recursive attribute is left out, as Datomic does
    assertThat(pull("[:name {:friend 1}]", id("b"))).isEqualTo("{:name \"Ben\", :friend [{:name \"Cy\"}]}");
  }

  @Test
  void whereRecursionStopsAPatternThatShowsIdsGetsBareRefs() {
    // as Datomic: past the limit, and at an entity already entered by recursion, the recursive
    // attribute's entities come back as {:db/id n} when the pattern has :db/id (or *)
    long b = id("b");
    long c = id("c");
    long a = id("a");
    assertThat(pull("[:db/id :name {:friend 1}]", b)).isEqualTo(
        "{:db/id " + b + ", :name \"Ben\", :friend [{:db/id " + c + ", :name \"Cy\", :friend [{:db/id " + a + "}]}]}");
    String unbounded = pull("[:db/id {:friend ...}]", c);
    assertThat(unbounded).startsWith("{:db/id " + c + ", :friend [{:db/id " + a + ", :friend [");
    // c -> a -> b -> c (the root, expanded once more) -> a: entered already, so a's friends are bare
    assertThat(unbounded).contains("{:db/id " + a + ", :friend [{:db/id " + b + "} {:db/id " + c + "}]}");
  }

  @Test
  void pullManyKeepsOrderAndNils() {
    List<Map<Keyword, Object>> r = conn.db().pullMany("[:name]", List.of(id("c"), 12345L, id("a")));
    assertThat(Edn.write(r)).isEqualTo("[{:name \"Cy\"} nil {:name \"Ann\"}]");
  }

  @Test
  void badPatternsAreNamed() {
    assertThatThrownBy(() -> conn.db().pull(":name", id("a")))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("pull/bad-pattern"));
    assertThatThrownBy(() -> conn.db().pull("[[:name :bogus 1]]", id("a"))).hasMessageContaining(":bogus");
    assertThatThrownBy(() -> conn.db().pull("[:_name]", id("a")))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("pull/reverse-non-ref"));
    assertThatThrownBy(() -> conn.db().pull("[:name [:name :as :n]]", id("a")))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("pull/duplicate-attribute"))
        .hasMessageContaining(":name");
    assertThat(conn.db().pull("[:db/id [:db/id :as :id] :name]", id("a"))).containsKey(Keyword.of("db/id"));
  }

  @Test
  void entityApiNavigates() {
    Entity a = conn.db().entity(List.of(Keyword.of("person/id"), 1L));
    assertThat(a.keySet()).contains(Keyword.of("name"), Keyword.of("friend"));
    Entity addr = (Entity) a.get("address");
    assertThat(addr.get("street")).isEqualTo("Main");
    assertThat(((Entity) addr.get("_address")).id()).isEqualTo(a.id());
    assertThat(a.get("db/id")).isEqualTo(a.id());
  }
}
