package io.datahop.cli;

import io.datahop.examples.SecretFile;
import io.datahop.remote.Peer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@code datahop server} and {@code datahop client} share: the shared secret both
 * must know ({@code --secret-file}, or the {@code DATAHOP_SECRET_FILE} environment variable) and
 * TLS. On the server {@code --tls-ca} requires client certificates signed by that CA; on the
 * client it is the CA the server's certificate must be signed by, and {@code --tls-cert}/{@code
 * --tls-key} are the client's certificate for a server that requires one.
 */
final class PeerSecurity {
  /** The environment variable naming the secret file when {@code --secret-file} is not given. */
  static final String SECRET_ENV = "DATAHOP_SECRET_FILE";

  @Option(names = "--secret-file", paramLabel = "FILE",
      description = "file holding the shared secret (at least 16 bytes; trailing newline ignored); default: $" + SECRET_ENV)
  Path secretFile;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "this side's TLS certificate chain (PEM); needs --tls-key")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "the private key of --tls-cert (unencrypted PKCS#8 PEM)")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "server: require client certificates signed by this CA (mutual TLS); client: verify the server's certificate against it (implies TLS)")
  Path tlsCa;

  /** The secret file given, by option or environment; null for none. */
  Path secretFile() {
    if (secretFile != null) {
      return secretFile;
    }
    String env = System.getenv(SECRET_ENV);
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  /** Whether this side speaks TLS. */
  boolean tls() {
    return tlsCert != null || tlsCa != null;
  }

  /** Applies the options to {@code b}; a missing or bad file throws with the option's name. */
  Peer.Builder apply(Peer.Builder b) {
    Path secret = secretFile();
    if (secret != null) {
      b.sharedSecret(SecretFile.read(secret));
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (tlsCert != null) {
      b.tlsCertificate(tlsCert, tlsKey);
    }
    if (tlsCa != null) {
      b.tlsTrust(tlsCa);
    }
    return b;
  }
}
