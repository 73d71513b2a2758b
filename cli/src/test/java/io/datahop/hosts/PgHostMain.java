package io.datahop.hosts;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * A PostgreSQL server for the separate-hosts test, meant to run inside the server's network
 * namespace: zonky's embedded PostgreSQL listening on every address of that namespace, trusting
 * clients of the veth subnet ({@code args[0]}, e.g. {@code 10.231.0.0/30}). Prints {@code PG READY
 * <port>}, then runs until its stdin closes or it is stopped (a shutdown hook stops PostgreSQL).
 */
public final class PgHostMain {
  private PgHostMain() {}

  public static void main(String[] args) throws Exception {
    String subnet = args[0];
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("listen_addresses", "*")
        .setRegisterShutdownHook(true)
        .setDataDirectoryCustomizer((File dir) -> {
          try {
            Files.writeString(dir.toPath().resolve("pg_hba.conf"), "\nhost all all " + subnet + " trust\n",
                StandardOpenOption.APPEND);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .start();
    System.out.println("PG READY " + pg.getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the parent goes away
    }
    pg.close();
  }
}
