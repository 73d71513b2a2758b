package io.datahop.remote;

import io.datahop.DatahopException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * A peer's TLS settings and the Netty {@link SslContext}s made from them: its own certificate
 * chain and private key (PEM; the listener presents them, a dialer presents them as its client
 * certificate), and a CA (PEM) that a listener requires client certificates to be signed by
 * (mutual TLS) and a dialer verifies the listener's certificate against (else the JDK's trusted
 * CAs). A dialer checks that the listener's certificate names the host it dialled.
 */
record Tls(Path certificate, Path key, Path trust, boolean dial) {
  static final Tls NONE = new Tls(null, null, null, false);

  /** Whether a dialer of this peer speaks TLS. */
  boolean dials() {
    return dial || certificate != null || trust != null;
  }

  /** Whether the listener of this peer speaks TLS. */
  boolean listens() {
    return certificate != null;
  }

  SslContext server() {
    if (certificate == null) {
      throw new DatahopException.Incorrect("remote/tls-config", "a listener needs a certificate and key for TLS (--tls-cert, --tls-key)",
          Map.of("trust", String.valueOf(trust)), null);
    }
    try {
      SslContextBuilder b = SslContextBuilder.forServer(readable(certificate).toFile(), readable(key).toFile());
      if (trust != null) {
        b.trustManager(readable(trust).toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw bad(e);
    }
  }

  SslContext client() {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (trust != null) {
        b.trustManager(readable(trust).toFile());
      }
      if (certificate != null) {
        b.keyManager(readable(certificate).toFile(), readable(key).toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw bad(e);
    }
  }

  private DatahopException bad(Exception e) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("certificate", String.valueOf(certificate));
    context.put("key", String.valueOf(key));
    context.put("trust", String.valueOf(trust));
    return new DatahopException.Incorrect("remote/tls-config", "cannot set up TLS from certificate " + certificate + ", key " + key
        + ", CA " + trust + ": " + e.getMessage(), context, e);
  }

  private static Path readable(Path p) {
    if (!Files.isReadable(p)) {
      throw new DatahopException.Incorrect("remote/tls-config", "cannot read the TLS file " + p, Map.of("file", p.toString()), null);
    }
    return p;
  }
}
