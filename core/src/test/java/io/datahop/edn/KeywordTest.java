package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keywords are interned (== works) but weakly, so names from untrusted input do not pile up. */
class KeywordTest {
  @Test
  void equalTextGivesTheSameInstance() {
    Keyword a = Keyword.of(":person/name");
    assertThat(Keyword.of("person/name")).isSameAs(a);
    assertThat(Keyword.of("person", "name")).isSameAs(a);
    assertThat(Edn.read(":person/name")).isSameAs(a);
    assertThat(a.namespace()).isEqualTo("person");
    assertThat(a.name()).isEqualTo("name");
    assertThat(Keyword.of("/").name()).isEqualTo("/");
  }

  @Test
  void anUnreferencedKeywordCanBeCollectedAndMadeAgain() throws InterruptedException {
    String name = "gone-" + UUID.randomUUID();
    WeakReference<Keyword> ref = new WeakReference<>(Keyword.of(name));
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(ref.get()).as("collected once nothing refers to it").isNull();
    Keyword again = Keyword.of(name);
    assertThat(again.text()).isEqualTo(name);
    assertThat(Keyword.of(name)).isSameAs(again);
  }
}
