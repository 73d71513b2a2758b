package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.datahop.DatahopException;
import io.datahop.db.DbRef;
import io.datahop.edn.Keyword;
import io.datahop.store.Address;
import io.datahop.store.StoreId;
import io.datahop.testkit.RandomValues;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile bytes: random and mutated frames, and hand-made attacks on lengths, nesting, caches and
 * hashing. Whatever the input, decode returns a value or throws WireException — nothing else, no
 * OOM, no hang. {@code -Ddatahop.long=true} runs 50x more frames; {@code -Ddatahop.seed} replays.
 */
class WireFuzzTest {
  record Tagged(String s) {}

  private static final FressianCodec CODEC =
      FressianCodec.builder()
          .resolveDbRefs(false)
          .register(Tagged.class, "test/tagged", t -> "#" + t.s(), v -> new Tagged(((String) v).substring(1)))
          .build();

  private static void decodeExpectingOnlyWireException(byte[] frame, String context) {
    try {
      CODEC.decode(frame);
    } catch (WireException e) {
      // the one allowed failure
    } catch (Throwable t) {
      fail(context + ": " + t + " for frame " + HexFormat.of().formatHex(frame), t);
    }
  }

  private static List<byte[]> corpus(SplittableRandom rnd) {
    RandomValues gen = new RandomValues(rnd, true);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      frames.add(CODEC.encode(gen.value(4)));
    }
    DbRef ref = new DbRef(StoreId.random(), "mem:fuzz", Address.of(new byte[] {1}), 5L, null, true);
    frames.add(CODEC.encode(ref));
    frames.add(CODEC.encode(new IllegalStateException("x", new DatahopException.Fault("a/b", "y"))));
    frames.add(CODEC.encode(List.of(new Tagged("abc"), new Tagged(""))));
    frames.add(CODEC.encode(Map.of(Keyword.of("k"), List.of(Keyword.of("k"), Keyword.of("k")))));
    return frames;
  }

  private static final int[] INTERESTING = {
    0x00, 0x3F, 0x40, 0x5F, 0x7F, 0x80, 0x9F, 0xA0, 0xAF, 0xC0, 0xC1, 0xC3, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCC,
    0xCD, 0xD8, 0xD9, 0xE2, 0xE3, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF8, 0xFA, 0xFD, 0xFE, 0xFF
  };

  private static byte[] mutate(byte[] f, SplittableRandom rnd) {
    byte[] m = f.clone();
    switch (rnd.nextInt(6)) {
      case 0 -> { // flip bits
        for (int k = rnd.nextInt(1, 4); k > 0 && m.length > 0; k--) {
          m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      case 1 -> { // set bytes to interesting codes
        for (int k = rnd.nextInt(1, 3); k > 0 && m.length > 0; k--) {
          m[rnd.nextInt(m.length)] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
        }
      }
      case 2 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1)); // truncate
      case 3 -> { // insert a huge count after a random position
        int at = rnd.nextInt(m.length + 1);
        byte[] ins = {(byte) 0xF8, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] n = new byte[m.length + ins.length];
        System.arraycopy(m, 0, n, 0, at);
        System.arraycopy(ins, 0, n, at, ins.length);
        System.arraycopy(m, at, n, at + ins.length, m.length - at);
        m = n;
      }
      case 4 -> { // duplicate a slice
        if (m.length > 1) {
          int a = rnd.nextInt(m.length);
          int b = rnd.nextInt(a, m.length);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(m, 0, b);
          out.write(m, a, m.length - a);
          m = out.toByteArray();
        }
      }
      default -> { // random bytes in place
        for (int k = rnd.nextInt(1, 8); k > 0 && m.length > 0; k--) {
          m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        }
      }
    }
    return m;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES) // the long mode's 5M frames; CI's 100k take seconds
  void randomAndMutatedFramesOnlyEverThrowWireException() {
    long seed = RandomValues.seed("datahop.seed", 77L);
    int n = Boolean.getBoolean("datahop.long") ? 5_000_000 : 100_000;
    SplittableRandom rnd = new SplittableRandom(seed);
    List<byte[]> corpus = corpus(rnd);
    for (byte[] f : corpus) {
      CODEC.decode(f); // the corpus itself is valid
    }
    int decoded = 0;
    long slowest = 0;
    byte[] slowestFrame = new byte[0];
    for (int i = 0; i < n; i++) {
      byte[] frame;
      if (i % 4 == 0) {
        frame = new byte[rnd.nextInt(0, 48)];
        rnd.nextBytes(frame);
      } else {
        frame = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
        if (i % 4 == 3) {
          frame = mutate(frame, rnd);
        }
      }
      long start = System.nanoTime();
      try {
        CODEC.decode(frame);
        decoded++;
      } catch (WireException e) {
        assertThat(e.getMessage()).isNotBlank();
      } catch (Throwable t) {
        fail("seed " + seed + " frame " + i + " (replay with -Ddatahop.seed=" + seed + "): " + t
            + " for " + HexFormat.of().formatHex(frame), t);
      }
      long nanos = System.nanoTime() - start;
      if (nanos > slowest) {
        slowest = nanos;
        slowestFrame = frame;
      }
    }
    assertThat(decoded).as("some mutations still decode").isPositive();
    // no single frame takes long: 2 s is generous for a loaded CI machine and far below a hang
    assertThat(slowest / 1_000_000).as("slowest frame, ms: %s", HexFormat.of().formatHex(slowestFrame)).isLessThan(2_000);
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void hugeLengthPrefixesAreRefusedBeforeAllocating() {
    // LIST / STRING / BYTES / STRING_CHUNK / BYTES_CHUNK, each with count 2^31-1 (INT code, 8 bytes)
    for (int code : new int[] {0xEC, 0xE3, 0xD9, 0xE2, 0xD8}) {
      byte[] f = bytes(code, 0xF8, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF);
      assertThatThrownBy(() -> CODEC.decode(f)).isInstanceOf(WireException.class);
    }
    // a count of 1,000,000 with 3 bytes behind it
    assertThatThrownBy(() -> CODEC.decode(bytes(0xEC, 0x72 + 0, 0x0F, 0x42, 0x40, 1, 2, 3)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("only");
    // negative counts
    assertThatThrownBy(() -> CODEC.decode(bytes(0xE3, 0xFF))).isInstanceOf(WireException.class);
  }

  @Test
  void configuredLimitsAreEnforced() {
    FressianCodec small =
        FressianCodec.builder().maxFrameBytes(1000).maxStringBytes(10).maxBytesLength(10).maxCollection(5).build();
    assertThatThrownBy(() -> small.decode(new byte[1001])).isInstanceOf(WireException.class).hasMessageContaining("1000");
    assertThatThrownBy(() -> small.decode(CODEC.encode("x".repeat(11)))).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> small.decode(CODEC.encode(new byte[11]))).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> small.decode(CODEC.encode(List.of(1L, 2L, 3L, 4L, 5L, 6L)))).isInstanceOf(WireException.class);
    assertThat(small.decode(CODEC.encode(List.of("x".repeat(10))))).isEqualTo(List.of("x".repeat(10)));
  }

  @Test
  void hostileNestingIsRefusedWithoutStackOverflow() {
    for (int code : new int[] {0xE5, 0xFE, 0xCD, 0xED, 0xC1}) { // list of 1, reset caches, cache put, closed list, set
      byte[] f = new byte[300_000];
      java.util.Arrays.fill(f, (byte) code);
      assertThatThrownBy(() -> CODEC.decode(f)).as("0x%02X", code).isInstanceOf(WireException.class);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sharedCachedStructureCannotDescribeAnExponentialValue() {
    // X0 = [0 0]; X(k+1) = [Xk Xk] through priority-cache references: 4 bytes per level, 2^60 leaves
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xEC); // the frame is a list of 61: the 60 levels, then the last one again
    out.write(61);
    out.write(0xCD);
    out.write(0xE6);
    out.write(0);
    out.write(0);
    for (int k = 1; k < 60; k++) {
      out.write(0xCD);
      out.write(0xE6);
      out.writeBytes(cacheRef(k - 1));
      out.writeBytes(cacheRef(k - 1));
    }
    out.writeBytes(cacheRef(59));
    byte[] f = out.toByteArray();
    assertThatThrownBy(() -> CODEC.decode(f)).isInstanceOf(WireException.class).hasMessageContaining("cached");
  }

  private static byte[] cacheRef(int index) {
    return index < 32 ? bytes(0x80 + index) : bytes(0xCC, index);
  }

  @Test
  void collidingKeysAreRefusedBeforeTheyCostQuadraticTime() {
    // lists [i, 310000 - 31 i] all hash to 31 * 31 + 310000
    List<Object> kvs = new ArrayList<>();
    for (long i = 0; i < 1_000; i++) {
      kvs.add(List.of(i, 310_000 - 31 * i));
      kvs.add(i);
    }
    java.util.LinkedHashMap<Object, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kvs.size(); i += 2) {
      m.put(kvs.get(i), kvs.get(i + 1));
    }
    assertThatThrownBy(() -> CODEC.decode(CODEC.encode(m))).isInstanceOf(WireException.class).hasMessageContaining("hash");
  }

  @Test
  void unknownTagsAndForeignFressianTypesAreRefusedAndNothingIsLoaded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xEF); // STRUCTTYPE "java.lang.Runtime" with 0 fields
    out.writeBytes(CODEC.encode("java.lang.Runtime"));
    out.write(0);
    assertThatThrownBy(() -> CODEC.decode(out.toByteArray()))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("unknown tag 'java.lang.Runtime'");
    for (int code : new int[] {0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xC4, 0xCE, 0xCF, 0xF1, 0xF4, 0xFD}) {
      assertThatThrownBy(() -> CODEC.decode(bytes(code, 0xDB, 'a'))).as("0x%02X", code).isInstanceOf(WireException.class);
    }
    assertThatThrownBy(() -> CODEC.decode(new byte[0])).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> CODEC.decode(bytes(1, 2))).isInstanceOf(WireException.class).hasMessageContaining("after the value");
  }

  @Test
  void aUriIsParsedFromItsStringAndNothingElse() {
    // 0xC5: Fressian's URI, the values of :db.type/uri; new URI only splits text
    assertThat(CODEC.decode(bytes(0xC5, 0xDB, 'a'))).isEqualTo(java.net.URI.create("a"));
    java.net.URI u = java.net.URI.create("jar:file:/x.jar!/java/lang/Runtime.class");
    assertThat(CODEC.decode(CODEC.encode(u))).isEqualTo(u);
    assertThatThrownBy(() -> CODEC.decode(bytes(0xC5, 0x01))).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> CODEC.decode(bytes(0xC5, 0xDC, 'a', ' '))).isInstanceOf(WireException.class)
        .hasMessageContaining("not a URI");
  }

  @Test
  void aUserReaderThatThrowsBecomesAWireException() {
    // the writer sends "#" + s and the reader takes substring(1): an empty string makes it throw
    byte[] f = CODEC.encode(new Tagged(""));
    assertThat(CODEC.decode(f)).isEqualTo(new Tagged(""));
    byte[] empty = f.clone();
    // the field "#" is a packed string of length 1 (0xDB '#'): make it length 0 and drop '#'
    int at = indexOf(empty, 0xDB);
    byte[] g = new byte[empty.length - 1];
    System.arraycopy(empty, 0, g, 0, at);
    g[at] = (byte) 0xDA;
    System.arraycopy(empty, at + 2, g, at + 1, empty.length - at - 2);
    assertThatThrownBy(() -> CODEC.decode(g)).isInstanceOf(WireException.class).hasMessageContaining("test/tagged");
  }

  private static int indexOf(byte[] b, int v) {
    for (int i = b.length - 1; i >= 0; i--) {
      if ((b[i] & 0xff) == v) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
