package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.index.NodeInput;
import io.datahop.index.NodeOutput;
import io.datahop.store.Address;
import java.time.Instant;
import java.util.Map;

/**
 * The blob a head points at: everything needed to open a database value in O(1). Layout
 * (see {@code docs/format.md}, "Commit records"):
 *
 * <pre>
 * "DHC" version(1 byte = 1) flags(1 byte: 1 keep-history, 2 schema-on-read) index-kind(1 byte)
 * basisT(varint) nextUserId(varint) nextAttrId(varint)
 * txInstant(zigzag seconds, varint nanos)
 * parent(0 | 1 + 32 bytes)
 * 8 roots (each 0 | 1 + 32 bytes): EAVT AEVT AVET VAET, then the same for history
 * datomCount(varint)
 * </pre>
 */
record CommitRecord(
    boolean keepHistory,
    boolean schemaOnRead,
    int indexKind,
    long basisT,
    long nextUserId,
    long nextAttrId,
    Instant txInstant,
    Address parent,
    Address[] roots,
    long datomCount) {
  static final int VERSION = 1;

  byte[] encode() {
    NodeOutput out = new NodeOutput(400);
    out.writeByte('D');
    out.writeByte('H');
    out.writeByte('C');
    out.writeByte(VERSION);
    out.writeByte((keepHistory ? 1 : 0) | (schemaOnRead ? 2 : 0));
    out.writeByte(indexKind);
    out.writeVarLong(basisT);
    out.writeVarLong(nextUserId);
    out.writeVarLong(nextAttrId);
    Instant i = txInstant == null ? Instant.EPOCH : txInstant;
    out.writeZigZag(i.getEpochSecond());
    out.writeVarLong(i.getNano());
    writeAddress(out, parent);
    for (Address a : roots) writeAddress(out, a);
    out.writeVarLong(datomCount);
    return out.toByteArray();
  }

  private static void writeAddress(NodeOutput out, Address a) {
    if (a == null) {
      out.writeByte(0);
    } else {
      out.writeByte(1);
      out.writeBytes(a.toBytes());
    }
  }

  private static Address readAddress(NodeInput in) {
    return in.readByte() == 0 ? null : Address.fromBytes(in.readBytes(Address.LENGTH));
  }

  static CommitRecord decode(Address at, byte[] blob) {
    NodeInput in = new NodeInput(blob);
    if (blob.length < 6 || in.readByte() != 'D' || in.readByte() != 'H' || in.readByte() != 'C') {
      throw new DatahopException.Fault("db/not-a-commit", "blob " + at + " is not a commit record",
          Map.of("address", at.hex()), null);
    }
    int version = in.readByte();
    if (version != VERSION) {
      throw new DatahopException.Unsupported("db/commit-version",
          "commit " + at + " has format version " + version + "; this build reads version " + VERSION,
          Map.of("address", at.hex(), "version", version), null);
    }
    int flags = in.readByte();
    int kind = in.readByte();
    long basisT = in.readVarLong();
    long nextUser = in.readVarLong();
    long nextAttr = in.readVarLong();
    Instant inst = Instant.ofEpochSecond(in.readZigZag(), in.readVarLong());
    Address parent = readAddress(in);
    Address[] roots = new Address[8];
    for (int i = 0; i < 8; i++) roots[i] = readAddress(in);
    long count = in.readVarLong();
    return new CommitRecord((flags & 1) != 0, (flags & 2) != 0, kind, basisT, nextUser, nextAttr, inst,
        parent, roots, count);
  }
}
