package io.datahop.bench;

import io.datahop.store.Address;
import io.datahop.store.FileStore;
import io.datahop.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Blob write throughput of a bulk import: each invocation puts {@code blobsPerCommit} new blobs of
 * {@code blobSize} bytes and commits them with one compare-and-set. The score is blobs per second;
 * MB/s = score × blobSize / 2^20. {@code get} measures reading committed blobs back (hash checked).
 * Every iteration starts from a new, empty store (and deletes it afterwards), so the disk use of a
 * run stays at one iteration's worth.
 *
 * <pre>
 * mvn -o -q -pl bench -am -DskipTests package
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main FileStoreBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class FileStoreBench {
  static final int BLOBS_PER_COMMIT = 1000;

  @Param({"4096", "16384"})
  public int blobSize;

  private Path dir;
  private Store store;
  private byte[][] templates;
  private long counter;
  private Address head;
  private Address[] committed;
  private int next;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    SplittableRandom rnd = new SplittableRandom(1);
    templates = new byte[64][];
    for (int i = 0; i < templates.length; i++) {
      templates[i] = new byte[blobSize];
      rnd.nextBytes(templates[i]);
    }
    head = null;
    dir = Files.createTempDirectory("datahop-bench");
    store = FileStore.open(dir.resolve("store"), true);
    committed = new Address[BLOBS_PER_COMMIT];
    for (int i = 0; i < BLOBS_PER_COMMIT; i++) {
      committed[i] = store.put(blob());
    }
    commit(committed[0]);
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A blob never put before: a template with a fresh counter in its first 8 bytes. */
  private byte[] blob() {
    byte[] b = templates[(int) (counter % templates.length)].clone();
    ByteBuffer.wrap(b).putLong(0, counter++);
    return b;
  }

  private void commit(Address a) {
    if (!store.compareAndSetHead("main", head, a)) {
      throw new IllegalStateException("head moved");
    }
    head = a;
  }

  @Benchmark
  @OperationsPerInvocation(BLOBS_PER_COMMIT)
  public Address putAndCommit() {
    Address last = null;
    for (int i = 0; i < BLOBS_PER_COMMIT; i++) {
      last = store.put(blob());
    }
    commit(last);
    return last;
  }

  @Benchmark
  public byte[] get() {
    Address a = committed[next];
    next = (next + 1) % committed.length;
    return store.get(a);
  }
}
