package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.index.NodeInput;
import io.datahop.index.NodeOutput;
import io.datahop.store.Address;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The blob a head points at: everything needed to open a database value. Layout in {@code
 * docs/format.md}, "Commit records". A commit either is a <em>base</em> ({@code base == null}:
 * its roots hold everything) or carries its own change set and names the base commit whose roots
 * it repeats; the commits between that base and it (following {@code parent}) carry the rest.
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
    long datomCount,
    Address base,
    int tailTxs,
    long tailDatoms,
    Changes changes,
    long horizonT) {
  static final int VERSION = 1;
  /**
   * Flag of a base record that also carries its own transaction's change set (every base this
   * build writes, so that the log can read any commit's datoms; bases written before it lack it).
   */
  static final int OWN_CHANGES = 4;
  /**
   * Flag of a record that ends with a varint horizon: the first t of a history cut by retention
   * ({@code gc --keep-since}); views as of an earlier t are refused. Absent: 0, all history.
   */
  static final int HORIZON = 8;

  byte[] encode() {
    NodeOutput out = new NodeOutput(400 + (changes == null ? 0 : (int) changes.size() * 12));
    out.writeByte('D');
    out.writeByte('H');
    out.writeByte('C');
    out.writeByte(VERSION);
    boolean ownChanges = base == null && changes != null;
    out.writeByte((keepHistory ? 1 : 0) | (schemaOnRead ? 2 : 0) | (ownChanges ? OWN_CHANGES : 0)
        | (horizonT > 0 ? HORIZON : 0));
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
    writeAddress(out, base);
    if (base != null) {
      out.writeVarLong(tailTxs);
      out.writeVarLong(tailDatoms);
    }
    if (base != null || ownChanges) {
      out.writeVarLong(changes.refAttrs().length);
      for (long a : changes.refAttrs()) out.writeVarLong(a);
      writeRun(out, changes.removes());
      writeRun(out, changes.adds());
      writeRun(out, changes.historyAdds());
    }
    if (horizonT > 0) out.writeVarLong(horizonT);
    return out.toByteArray();
  }

  private static void writeRun(NodeOutput out, List<Datom> run) {
    out.writeVarLong(run.size());
    DatomCodec.INSTANCE.encode(run, out);
  }

  private static List<Datom> readRun(NodeInput in) {
    int n = in.readVarInt();
    if (n > in.remaining()) {
      throw new DatahopException.Fault("db/bad-commit", "a change run claims " + n + " datoms in " + in.remaining() + " bytes");
    }
    Object[] out = new Object[n];
    DatomCodec.INSTANCE.decode(in, n, out);
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Datom> l = (List) Arrays.asList(out);
    return l;
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
    Address base = readAddress(in);
    int tailTxs = 0;
    long tailDatoms = 0;
    Changes changes = null;
    if (base != null) {
      tailTxs = in.readVarInt();
      tailDatoms = in.readVarLong();
    }
    if (base != null || (flags & OWN_CHANGES) != 0) {
      int nrefs = in.readVarInt();
      if (nrefs > in.remaining()) throw new DatahopException.Fault("db/bad-commit", "bad ref attribute count in " + at);
      long[] refs = new long[nrefs];
      for (int i = 0; i < nrefs; i++) refs[i] = in.readVarLong();
      changes = new Changes(readRun(in), readRun(in), readRun(in), refs);
    }
    long horizon = (flags & HORIZON) != 0 ? in.readVarLong() : 0;
    return new CommitRecord((flags & 1) != 0, (flags & 2) != 0, kind, basisT, nextUser, nextAttr, inst,
        parent, roots, count, base, tailTxs, tailDatoms, changes, horizon);
  }
}
