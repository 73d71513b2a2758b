package io.datahop.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * X.509 certificates made at test time, in-process and without a library: a CA, and certificates
 * it signs for {@code 127.0.0.1}/{@code localhost} (usable by servers and clients), written as PEM
 * files the way TLS options take them (certificate; unencrypted PKCS#8 key). EC P-256 keys,
 * ECDSA-SHA256 signatures, valid from an hour ago for two days. The DER is laid out by hand: the
 * few structures a certificate needs (RFC 5280) are small.
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ECDSA_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
  private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
  private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
  private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);

  /** A certificate authority: its name, keys and the PEM file of its certificate. */
  public record Authority(String name, KeyPair keys, Path certificate) {}

  /** A certificate signed by an authority: PEM files of the certificate and of its private key. */
  public record Issued(Path certificate, Path key) {}

  private TestCertificates() {}

  /** A new self-signed CA named {@code name}; its certificate goes to {@code dir/name-ca.pem}. */
  public static Authority authority(Path dir, String name) throws IOException, GeneralSecurityException {
    KeyPair keys = keys();
    byte[] cert = certificate(name, name, keys.getPublic().getEncoded(), keys.getPrivate(), true);
    Path file = dir.resolve(name + "-ca.pem");
    Files.writeString(file, pem("CERTIFICATE", cert));
    return new Authority(name, keys, file);
  }

  /** A certificate for 127.0.0.1 and localhost, named {@code name}, signed by {@code ca}. */
  public static Issued issue(Authority ca, Path dir, String name) throws IOException, GeneralSecurityException {
    KeyPair keys = keys();
    byte[] cert = certificate(ca.name(), name, keys.getPublic().getEncoded(), ca.keys().getPrivate(), false);
    Path certFile = dir.resolve(name + ".pem");
    Path keyFile = dir.resolve(name + "-key.pem");
    Files.writeString(certFile, pem("CERTIFICATE", cert));
    Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new Issued(certFile, keyFile);
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static byte[] certificate(String issuer, String subject, byte[] publicKeyInfo, PrivateKey signer, boolean ca)
      throws GeneralSecurityException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] algorithm = seq(ECDSA_SHA256);
    byte[] extensions = ca
        ? seq(seq(BASIC_CONSTRAINTS, tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, seq(tlv(0x01, new byte[] {(byte) 0xff})))))
        : seq(seq(SUBJECT_ALT_NAME, tlv(0x04, seq(tlv(0x87, new byte[] {127, 0, 0, 1}), tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))))));
    byte[] tbs = seq(
        tlv(0xa0, tlv(0x02, new byte[] {2})), // v3
        tlv(0x02, new BigInteger(63, RANDOM).add(BigInteger.ONE).toByteArray()),
        algorithm,
        name(issuer),
        seq(time(now.minusHours(1)), time(now.plusDays(2))),
        name(subject),
        publicKeyInfo,
        tlv(0xa3, extensions));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(tbs);
    byte[] signature = s.sign();
    byte[] bits = new byte[signature.length + 1]; // a BIT STRING: no unused bits, then the signature
    System.arraycopy(signature, 0, bits, 1, signature.length);
    return seq(tbs, algorithm, tlv(0x03, bits));
  }

  private static byte[] name(String cn) {
    return seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(ZonedDateTime t) {
    return tlv(0x17, t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int v = arcs[i];
      int shift = 28;
      while (shift > 0 && (v >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | ((v >>> shift) & 0x7f));
      }
      out.write(v & 0x7f);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
