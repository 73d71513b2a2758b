package io.datahop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.cli.Main;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code datahop server} pointed at a store the user named never drops it: the data there is
 * served as it is, and only {@code --recreate} replaces it with the example's Alice and Bob.
 */
class ServerKeepsStoreTest {
  @TempDir Path dir;

  private static Set<List<Object>> names(String uri) {
    try (Connection c = Databases.connect(uri)) {
      @SuppressWarnings("unchecked")
      Set<List<Object>> names = (Set<List<Object>>) c.db().q("[:find ?n :where [?e :name ?n]]");
      return names;
    }
  }

  private String runServer(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "server", ".log");
    try (ChildProcess server = ChildProcess.start(log, Main.class, args)) {
      return Files.readString(server.log());
    }
  }

  @Test
  void anExistingStoreIsServedAsItIsAndRecreatedOnlyWhenAsked() throws Exception {
    Path db = dir.resolve("mine");
    String uri = ExampleDb.uri(db);
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact(List.of(Map.of("name", "Zed")));
    }

    assertThat(runServer("server", "0", "--path", db.toString())).contains("Serving the existing database");
    assertThat(names(uri)).as("--path keeps the data").containsExactly(List.of("Zed"));

    assertThat(runServer("server", "0", "--store", uri)).contains("Serving the existing database");
    assertThat(names(uri)).as("--store keeps the data").containsExactly(List.of("Zed"));

    assertThat(runServer("server", "0", "--store", uri, "--recreate")).contains("Created the test database");
    assertThat(names(uri)).as("--recreate replaces it").containsExactlyInAnyOrder(List.of("Alice"), List.of("Bob"));
  }

  @Test
  void aRefusedStartDeletesNothingEvenWithRecreate() throws Exception {
    String uri = ExampleDb.uri(dir.resolve("kept"));
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact(List.of(Map.of("name", "Zed")));
    }
    Path log = dir.resolve("refused.log");
    // an open address without a secret is refused before the store is touched
    Process p = io.datahop.testkit.ChildJvm.start(log, Main.class, "server", "0", "--store", uri, "--recreate", "--listen", "0.0.0.0");
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(2);
    assertThat(names(uri)).containsExactly(List.of("Zed"));
  }

  @Test
  void aStoreWithoutADatabaseGetsTheExampleData() throws Exception {
    String uri = ExampleDb.uri(dir.resolve("fresh"));
    assertThat(runServer("server", "0", "--store", uri)).contains("Created the test database");
    assertThat(names(uri)).containsExactlyInAnyOrder(List.of("Alice"), List.of("Bob"));
  }
}
