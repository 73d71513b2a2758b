package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
  @Test
  void anUnknownSchemeNamesTheUriAndTheAcceptedForms() {
    assertThatThrownBy(() -> Stores.open("s3://bucket/db", true))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("s3://bucket/db")
        .hasMessageContaining("mem:NAME")
        .hasMessageContaining("file:/path/to/dir")
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("store/unknown-uri"));
    assertThatThrownBy(() -> Stores.exists("/plain/path")).isInstanceOf(DatahopException.Incorrect.class);
  }

  @Test
  void fileUrisInEverySpellingNameOneStore(@TempDir Path dir) {
    Path d = dir.resolve("db");
    String plain = "file:" + d;
    try (Store s = Stores.open(plain, true)) {
      assertThat(Stores.exists(plain)).isTrue();
      assertThat(Stores.exists("file://" + d)).isTrue();
      assertThat(Stores.canonical("file:" + dir + "/x/../db")).isEqualTo(plain);
      try (Store t = Stores.open("file://" + d, false)) {
        assertThat(t.id()).isEqualTo(s.id());
      }
    }
    Stores.delete(plain);
    assertThat(Stores.exists(plain)).isFalse();
    assertThat(d).doesNotExist();
    Stores.delete(plain); // missing: no-op
  }

  @Test
  void openingAMissingFileStoreWithoutCreateIsNotFound(@TempDir Path dir) {
    assertThatThrownBy(() -> Stores.open("file:" + dir.resolve("nothing"), false))
        .isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining(dir.resolve("nothing").toString());
  }
}
