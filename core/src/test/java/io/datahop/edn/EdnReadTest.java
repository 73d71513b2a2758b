package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every EDN syntax the reader accepts, and what Java value it gives. */
@SuppressWarnings("unchecked")
class EdnReadTest {
  private static Keyword kw(String s) {
    return Keyword.of(s);
  }

  @Test
  void datomicTempidsReadAsTempids() {
    io.datahop.db.Tempid t = (io.datahop.db.Tempid) Edn.read("#db/id [:db.part/user -1]");
    assertThat(t).isEqualTo(new io.datahop.db.Tempid(kw("db.part/user"), -1));
    // written as Datomic's files write it too: no space after the tag
    assertThat(Edn.read("#db/id[:db.part/user -1]")).isEqualTo(t);
    // one without an index is a new entity each time it is read, never one a file spells out
    List<?> fresh = (List<?>) Edn.read("[#db/id [:db.part/db] #db/id [:db.part/db] #db/id [:db.part/db -1000001]]");
    assertThat(Set.copyOf(fresh)).hasSize(3);
    assertThat(((io.datahop.db.Tempid) fresh.get(0)).partition()).isEqualTo(kw("db.part/db"));
    // printed as the literal, which reads back as the same tempid
    assertThat(Edn.write(t)).isEqualTo("#db/id [:db.part/user -1]");
    assertThat(Edn.read(Edn.write(fresh))).isEqualTo(fresh);
    for (String bad : List.of("#db/id :db.part/user", "#db/id []", "#db/id [\"user\"]", "#db/id [:db.part/user 5]",
        "#db/id [:db.part/user -1 2]", "#db/id (:db.part/user)", "#db/id [:db.part/user 1.5]")) {
      assertThatThrownBy(() -> Edn.read(bad)).as(bad)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("edn/bad-tagged-value"));
    }
  }

  @Test
  void codeAndObjectsNamedInDataAreNotRead() {
    // Datomic's #db/fn carries code, Clojure's #object names a class: neither is ever read here
    for (String text : List.of("#db/fn {:lang :clojure :params [db] :code \"(System/exit 1)\"}",
        "#object [java.net.URI 0x1 \"http://x\"]", "#java.lang.Runtime {}")) {
      assertThatThrownBy(() -> Edn.read(text)).as(text)
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("edn/unknown-tag"));
    }
  }

  @Test
  void urisReadAndPrintAsUriTags() {
    Object u = Edn.read("#uri \"http://example.org/a?b=c#frag\"");
    assertThat(u).isEqualTo(java.net.URI.create("http://example.org/a?b=c#frag"));
    assertThat(Edn.write(u)).isEqualTo("#uri \"http://example.org/a?b=c#frag\"");
    List<Object> two = List.of(u, java.net.URI.create("urn:isbn:0451450523"));
    assertThat(Edn.read(Edn.write(two))).isEqualTo(two);
    // parsed, never resolved: a malformed one is an error, and no other type comes of it
    assertThatThrownBy(() -> Edn.read("#uri \"a b\""))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("edn/bad-tagged-value"));
    assertThatThrownBy(() -> Edn.read("#uri 42"))
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("edn/bad-tagged-value"));
  }

  @Test
  void readsScalars() {
    assertThat(Edn.read("nil")).isNull();
    assertThat(Edn.read("true")).isEqualTo(true);
    assertThat(Edn.read("false")).isEqualTo(false);
    assertThat(Edn.read("42")).isEqualTo(42L);
    assertThat(Edn.read("-7")).isEqualTo(-7L);
    assertThat(Edn.read("+7")).isEqualTo(7L);
    assertThat(Edn.read("0")).isEqualTo(0L);
    assertThat(Edn.read("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Edn.read("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Edn.read("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(Edn.read("42N")).isEqualTo(BigInteger.valueOf(42));
    assertThat(Edn.read("0x1F")).isEqualTo(31L);
    assertThat(Edn.read("1.5")).isEqualTo(1.5);
    assertThat(Edn.read("-1.5e3")).isEqualTo(-1500.0);
    assertThat(Edn.read("1E-2")).isEqualTo(0.01);
    assertThat(Edn.read("1.")).isEqualTo(1.0);
    assertThat(Edn.read("1.50M")).isEqualTo(new BigDecimal("1.50"));
    assertThat(Edn.read("3M")).isEqualTo(new BigDecimal("3"));
    assertThat(Edn.read("##Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Edn.read("##-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat((Double) Edn.read("##NaN")).isNaN();
    assertThat(Edn.read(":person/name")).isSameAs(kw("person/name"));
    assertThat(Edn.read(":db.type/long")).isSameAs(kw("db.type/long"));
    assertThat(Edn.read("?e")).isEqualTo(new Symbol(null, "?e"));
    assertThat(Edn.read("clojure.core/str")).isEqualTo(new Symbol("clojure.core", "str"));
    assertThat(Edn.read("...")).isEqualTo(Symbol.of("..."));
    assertThat(Edn.read(".")).isEqualTo(Symbol.of("."));
    assertThat(Edn.read("-")).isEqualTo(Symbol.of("-"));
    assertThat(Edn.read("/")).isEqualTo(Symbol.of("/"));
    assertThat(Edn.read("<=")).isEqualTo(Symbol.of("<="));
    assertThat(Edn.read("$1")).isEqualTo(Symbol.of("$1"));
    assertThat(Edn.read("missing?")).isEqualTo(Symbol.of("missing?"));
  }

  @Test
  void readsStringsWithEveryEscape() {
    assertThat(Edn.read("\"plain\"")).isEqualTo("plain");
    assertThat(Edn.read("\"a\\tb\\nc\\rd\\\\e\\\"f\\bg\\fh\\u00e9\\u2603\"")).isEqualTo("a\tb\nc\rd\\e\"f\bg\fh\u00e9\u2603");
    assertThat(Edn.read("\"multi\nline\"")).isEqualTo("multi\nline");
    assertThat(Edn.read("\"\"")).isEqualTo("");
    assertThat(Edn.read("\"日本\"")).isEqualTo("日本");
  }

  @Test
  void readsCharacters() {
    assertThat(Edn.read("\\a")).isEqualTo('a');
    assertThat(Edn.read("\\newline")).isEqualTo('\n');
    assertThat(Edn.read("\\space")).isEqualTo(' ');
    assertThat(Edn.read("\\tab")).isEqualTo('\t');
    assertThat(Edn.read("\\return")).isEqualTo('\r');
    assertThat(Edn.read("\\formfeed")).isEqualTo('\f');
    assertThat(Edn.read("\\backspace")).isEqualTo('\b');
    assertThat(Edn.read("\\u00e9")).isEqualTo('\u00e9');
    assertThat(Edn.read("\\u")).isEqualTo('u');
    assertThat(Edn.read("[\\( \\)]")).isEqualTo(List.of('(', ')'));
    assertThat(Edn.read("[\\a\\b]")).isEqualTo(List.of('a', 'b'));
  }

  @Test
  void vectorsAndListsAreDistinguishableUnmodifiableRandomAccessLists() {
    Object v = Edn.read("[?x ...]");
    Object l = Edn.read("(count ?x)");
    assertThat(v).isInstanceOf(List.class).isInstanceOf(RandomAccess.class).isNotInstanceOf(EdnList.class);
    assertThat(l).isInstanceOf(EdnList.class).isInstanceOf(RandomAccess.class);
    assertThat((List<Object>) l).containsExactly(Symbol.of("count"), Symbol.of("?x"));
    assertThat(Edn.read("[nil 1]")).isEqualTo(java.util.Arrays.asList(null, 1L));
    assertThatThrownBy(() -> ((List<Object>) v).add(1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) l).add(1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Edn.read("()")).isEqualTo(EdnList.of());
  }

  @Test
  void mapsAndSetsKeepInsertionOrder() {
    Object m = Edn.read("{:z 1, :a 2 :m nil}");
    assertThat(((Map<Object, ?>) m).keySet()).containsExactly(kw("z"), kw("a"), kw("m"));
    assertThat(((Map<?, ?>) m).get(kw("m"))).isNull();
    Object s = Edn.read("#{3 1 2}");
    assertThat((Set<Object>) s).containsExactly(3L, 1L, 2L);
    assertThatThrownBy(() -> ((Map<Object, Object>) m).put(1, 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((Set<Object>) s).add(9)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Edn.read("{[1 2] #{:a}}")).isEqualTo(Map.of(List.of(1L, 2L), Set.of(kw("a"))));
  }

  @Test
  void readsBuiltInTags() {
    assertThat(Edn.read("#inst \"1985-04-12T23:20:50.52Z\"")).isEqualTo(Instant.parse("1985-04-12T23:20:50.52Z"));
    assertThat(Edn.read("#inst \"1985-04-12T23:20:50.520-00:00\"")).isEqualTo(Instant.parse("1985-04-12T23:20:50.52Z"));
    assertThat(Edn.read("#inst \"1985-04-12T23:20:50+02:00\"")).isEqualTo(Instant.parse("1985-04-12T21:20:50Z"));
    assertThat(Edn.read("#inst \"2020-02-03\"")).isEqualTo(Instant.parse("2020-02-03T00:00:00Z"));
    assertThat(Edn.read("#inst \"2020\"")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    UUID u = UUID.randomUUID();
    assertThat(Edn.read("#uuid \"" + u + "\"")).isEqualTo(u);
    assertThat((byte[]) Edn.read("#bytes \"AQID\"")).containsExactly(1, 2, 3);
    assertThat(Edn.read("#datom [1 10 \"x\" 1000 true]")).isEqualTo(new Datom(1, 10, "x", 1000, true));
  }

  @Test
  void skipsCommentsCommasDiscardsAndMetadata() {
    assertThat(Edn.read("; comment\n [1, 2 ;; more\n ,3] ; end")).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(Edn.read("[1 #_ 2 3]")).isEqualTo(List.of(1L, 3L));
    assertThat(Edn.read("[1 #_ #_ 2 3 4]")).isEqualTo(List.of(1L, 4L));
    assertThat(Edn.read("[1 #_[2 (3)] 4]")).isEqualTo(List.of(1L, 4L));
    assertThat(Edn.read("#_ 1 2")).isEqualTo(2L);
    assertThat(Edn.read("2 #_ 1")).isEqualTo(2L);
    assertThat(Edn.read("^:private sym")).isEqualTo(Symbol.of("sym"));
    assertThat(Edn.read("^{:doc \"x\"} [1]")).isEqualTo(List.of(1L));
    assertThat(Edn.read("{:a #_ :b 1}")).isEqualTo(Map.of(kw("a"), 1L));
  }

  @Test
  void readAllReadsEveryForm() {
    assertThat(Edn.readAll("1 :a \"s\" [x] ; c\n (y) #_ z")).containsExactly(
        1L, kw("a"), "s", List.of(Symbol.of("x")), EdnList.of(Symbol.of("y")));
    assertThat(Edn.readAll("  ; only a comment")).isEmpty();
    assertThat(Edn.readAll("")).isEmpty();
  }

  @Test
  void customTagsThroughWithTag() {
    EdnReader r = EdnReader.standard().withTag("point", v -> List.of("P", v));
    assertThat(r.read("#point [1 2]")).isEqualTo(List.of("P", List.of(1L, 2L)));
    assertThat(r.read("#my.ns/point 1".replace("my.ns/", ""))).isEqualTo(List.of("P", 1L));
    assertThatThrownBy(() -> Edn.read("#point [1 2]"))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasFieldOrPropertyWithValue("code", "edn/unknown-tag");
    EdnReader ns = EdnReader.standard().withTag("my.ns/point", v -> v);
    assertThat(ns.read("#my.ns/point 7")).isEqualTo(7L);
  }

  @Test
  void readsTheDatalogForms() {
    Object q = Edn.read("[:find ?sex (avg ?age) :with ?e :where [?e :sex ?sex] [(> ?s 50000)]]");
    List<?> l = (List<?>) q;
    assertThat(l.get(2)).isInstanceOf(EdnList.class);
    assertThat(((List<?>) l.get(7)).get(0)).isInstanceOf(EdnList.class);
  }
}
