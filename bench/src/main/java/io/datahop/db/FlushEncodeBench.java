package io.datahop.db;

import io.datahop.index.NodeOutput;
import io.datahop.store.Address;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./datahop bench flush-encode [--hash] [--passes N]}: the encode step of a big import's
 * flush alone. Builds the datoms of the 1M-datom CLI import (200,000 people × 5 attributes) in
 * EAVT, AEVT and AVET order, cuts them into leaves of 230 keys and encodes each (with {@code
 * --hash} also hashes it, as {@link Address#of} does), printing this thread's CPU ms per pass.
 * Run it as the CLI runs an import to see C1's figures: {@code
 * DATAHOP_JAVA_OPTS=-XX:TieredStopAtLevel=1 ./datahop bench flush-encode}. It lives in {@code
 * io.datahop.db} because the datom codec is package-private.
 */
public final class FlushEncodeBench {
  private FlushEncodeBench() {}

  public static void main(String[] args) {
    boolean hash = false;
    int passes = 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--hash" -> hash = true;
        case "--passes" -> passes = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--hash, --passes N)");
      }
    }
    int people = 200_000;
    long tx = Ids.txEid(1);
    List<Datom> eavt = new ArrayList<>(people * 5);
    for (int i = 0; i < people; i++) {
      long e = Ids.USER_PART + i;
      eavt.add(new Datom(e, 72, "person-" + i, tx, true));
      eavt.add(new Datom(e, 73, (long) i, tx, true));
      eavt.add(new Datom(e, 74, "p" + i + "@example.com", tx, true));
      eavt.add(new Datom(e, 75, i + 0.5, tx, true));
      eavt.add(new Datom(e, 76, "city-" + i, tx, true));
    }
    List<Datom> aevt = new ArrayList<>(eavt);
    aevt.sort(DatomOrder.of(IndexType.AEVT));
    List<Datom> avet = new ArrayList<>(eavt);
    avet.sort(DatomOrder.of(IndexType.AVET));
    List<Object[]> leaves = new ArrayList<>();
    for (List<Datom> index : List.of(eavt, aevt, avet)) {
      for (int i = 0; i < index.size(); i += 230) {
        leaves.add(index.subList(i, Math.min(index.size(), i + 230)).toArray());
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    NodeOutput out = new NodeOutput(16 * 1024);
    for (int pass = 0; pass < passes; pass++) {
      long t0 = threads.getCurrentThreadCpuTime();
      long bytes = 0;
      int sink = 0;
      for (Object[] keys : leaves) {
        out.reset();
        DatomCodec.INSTANCE.encode(keys, keys.length, out);
        bytes += out.size();
        if (hash) {
          sink += Address.of(out.toByteArray()).hashCode();
        }
      }
      long t1 = threads.getCurrentThreadCpuTime();
      System.out.printf("{:pass %d :leaves %d :bytes %d :cpu-ms %.1f%s}%n", pass, leaves.size(), bytes,
          (t1 - t0) / 1e6, hash ? " :hashed true :sink " + sink : "");
    }
  }
}
