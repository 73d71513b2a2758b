package io.datahop.remote;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response over a shared secret: each side proves it knows the secret by an
 * HMAC-SHA256 over the other side's fresh nonce and its own claimed identity, so a proof can be
 * neither replayed on another connection nor reused under another name. The secret never travels.
 * It authenticates peers, it does not encrypt: run over a trusted network or a TLS tunnel.
 */
final class SharedSecret {
  private static final byte[] LABEL = "datahop-auth-v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;

  SharedSecret(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("a shared secret needs at least 16 bytes, got " + secret.length);
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  byte[] proof(byte[] verifierNonce, UUID prover, String proverName) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(LABEL);
      mac.update(verifierNonce);
      mac.update(ByteBuffer.allocate(16).putLong(prover.getMostSignificantBits()).putLong(prover.getLeastSignificantBits()).array());
      mac.update(proverName.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  boolean verify(byte[] proof, byte[] verifierNonce, UUID prover, String proverName) {
    return MessageDigest.isEqual(proof, proof(verifierNonce, prover, proverName));
  }
}
