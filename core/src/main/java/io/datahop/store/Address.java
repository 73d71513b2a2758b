package io.datahop.store;

import io.datahop.DatahopException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of an immutable blob: the SHA-256 hash of its bytes (32 bytes). Two blobs with the
 * same bytes have the same address, so writing a blob twice is a no-op and a reader can verify
 * that what it got is what was asked for.
 */
public final class Address implements Comparable<Address> {
  /** Length of an address in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;
  private final int hash;

  private Address(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The address of {@code blob}. */
  public static Address of(byte[] blob) {
    return of(blob, 0, blob.length);
  }

  /** The address of {@code buf[off, off + len)}. */
  public static Address of(byte[] buf, int off, int len) {
    MessageDigest md = sha256();
    md.update(buf, off, len);
    return new Address(md.digest());
  }

  /** An address from its 32 raw bytes (copied). */
  public static Address fromBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new DatahopException.Incorrect(
          "store/bad-address", "an address has " + LENGTH + " bytes, got " + raw.length);
    }
    return new Address(raw.clone());
  }

  /** An address from its 64-character lower-case hex form. */
  public static Address parse(String hex) {
    try {
      return fromBytes(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new DatahopException.Incorrect("store/bad-address", "not a hex address: " + hex);
    }
  }

  /** True when {@code blob} hashes to this address. */
  public boolean matches(byte[] blob) {
    return MessageDigest.isEqual(bytes, sha256().digest(blob));
  }

  /** A copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the raw bytes into {@code dst} at {@code offset} without copying twice. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  /** Lower-case hex, 64 characters. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && hash == a.hash && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }

  /** One digest per thread: looking up a provider on every hash costs as much as a small hash. */
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new AssertionError("every JDK has SHA-256", e);
            }
          });

  private static MessageDigest sha256() {
    MessageDigest md = DIGEST.get();
    md.reset();
    return md;
  }
}
