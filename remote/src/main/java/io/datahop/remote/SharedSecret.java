package io.datahop.remote;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response over a shared secret. Each side proves it knows the secret by an
 * HMAC-SHA256 over the whole handshake as it saw it: the prover's role (dialer or acceptor), the
 * protocol version, both fresh nonces and both peer ids (UUID and name). So a proof is valid on
 * exactly one connection, in one direction, between two named peers: it cannot be replayed on
 * another connection, reflected back to its maker (the roles differ), or relayed from a
 * connection with a third peer (the ids and nonces differ). The secret never travels.
 *
 * <p>It authenticates the handshake, it does not encrypt or protect what follows: an on-path
 * attacker can read and alter later frames unless the connection runs over TLS.
 */
final class SharedSecret {
  private static final byte[] LABEL = "datahop-auth-v2".getBytes(StandardCharsets.UTF_8);

  /** Which end of the connection a proof is made by; the byte is part of the MAC. */
  enum Role {
    DIALER((byte) 'D'),
    ACCEPTOR((byte) 'A');

    private final byte tag;

    Role(byte tag) {
      this.tag = tag;
    }
  }

  /** What both ends agree a connection's handshake was; each proof is a MAC of it and a role. */
  record Transcript(int protocol, byte[] dialerNonce, byte[] acceptorNonce, PeerId dialer, PeerId acceptor) {}

  private final SecretKeySpec key;

  SharedSecret(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("a shared secret needs at least 16 bytes, got " + secret.length);
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  byte[] proof(Role role, Transcript t) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(LABEL);
      mac.update(role.tag);
      mac.update(ByteBuffer.allocate(4).putInt(t.protocol()).array());
      field(mac, t.dialerNonce());
      field(mac, t.acceptorNonce());
      id(mac, t.dialer());
      id(mac, t.acceptor());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  boolean verify(byte[] proof, Role role, Transcript t) {
    return MessageDigest.isEqual(proof, proof(role, t));
  }

  private static void id(Mac mac, PeerId id) {
    mac.update(ByteBuffer.allocate(16).putLong(id.uuid().getMostSignificantBits()).putLong(id.uuid().getLeastSignificantBits()).array());
    field(mac, id.name().getBytes(StandardCharsets.UTF_8));
  }

  /** Length-prefixed, so no two different transcripts give the same MAC input. */
  private static void field(Mac mac, byte[] bytes) {
    mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    mac.update(bytes);
  }
}
