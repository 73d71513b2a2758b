package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.InputBounds;
import io.datahop.db.Datom;
import io.datahop.db.DbRef;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.store.Address;
import io.datahop.store.StoreId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A strict reader of the Fressian 0.6.8 byte format for one frame.
 *
 * <p>Implementation notes: {@code org.fressian.FressianReader} is not used for decoding because it
 * trusts its input: it allocates {@code new Object[count]}, {@code new byte[length]} and string
 * buffers straight from length prefixes before reading a byte (one 6-byte frame can ask for 2 GB),
 * recurses without bound, turns unknown tags into {@code TaggedObject}s and compiles regex tags.
 * This reader works on the frame's bytes directly and, before allocating anything, checks every
 * length against {@link WireLimits} and against the bytes left (each element takes at least one
 * byte, so no count can exceed them). Nesting is bounded by depth; the priority cache records the
 * logical size of each cached value so that re-using it counts in full against {@code
 * maxElements} — otherwise a few bytes of nested cache references could describe a value with
 * 2^60 leaves, and hashing or printing it would never end. Only the codes datahop's writer and
 * Fressian's standard writer emit for our types are accepted; typed arrays, regex, footers
 * and metadata are refused. A URI (the values of {@code :db.type/uri}) is parsed from its string
 * by {@code new URI}, which only splits text: nothing is resolved, looked up or loaded.
 */
final class WireReader {
  /** What a DbRef becomes: a Db (through a StoreRegistry) or the DbRef itself. */
  interface RefResolver {
    Object resolve(DbRef ref);
  }

  private static final Object UNDER_CONSTRUCTION = new Object();

  private record StructType(String tag, int fields) {}

  private record Cached(Object value, long cost) {}

  private final byte[] buf;
  private final int end;
  private final WireLimits limits;
  private final Map<String, FressianCodec.Handler<?>> userHandlers;
  private final RefResolver resolver;
  private final int maxReadDepth;
  private int pos;
  private int depth;
  private long elements;
  private ArrayList<Object> priorityCache;
  private ArrayList<StructType> structCache;

  WireReader(
      byte[] buf,
      int offset,
      int length,
      WireLimits limits,
      Map<String, FressianCodec.Handler<?>> userHandlers,
      RefResolver resolver) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    this.limits = limits;
    this.userHandlers = userHandlers;
    this.resolver = resolver;
    // a tagged collection is a struct around a list: two reader levels for one level of value
    this.maxReadDepth = 2 * limits.maxDepth() + 8;
  }

  /** Reads the frame's one value; bytes after it are an error. */
  Object readFrame() {
    Object v = read();
    if (pos != end) {
      throw malformed(end - pos + " bytes after the value");
    }
    return v;
  }

  int position() {
    return pos;
  }

  WireException malformed(String what) {
    return new WireException("malformed wire bytes: " + what, pos, null);
  }

  // ---- raw input --------------------------------------------------------------------------

  private int u8() {
    if (pos >= end) {
      throw malformed("unexpected end of frame");
    }
    return buf[pos++] & 0xff;
  }

  private long rawBE(int n) {
    if (end - pos < n) {
      throw malformed("unexpected end of frame");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  // ---- values ------------------------------------------------------------------------------

  Object read() {
    if (++depth > maxReadDepth) {
      throw malformed("values nested deeper than " + limits.maxDepth());
    }
    if (++elements > limits.maxElements()) {
      throw malformed("more than " + limits.maxElements() + " values in one frame");
    }
    try {
      return read(u8());
    } finally {
      depth--;
    }
  }

  private Object read(int code) {
    if (code < 0x40) {
      return (long) code;
    }
    if (code < 0x60) {
      return ((long) (code - 0x50) << 8) | rawBE(1);
    }
    if (code < 0x70) {
      return ((long) (code - 0x68) << 16) | rawBE(2);
    }
    if (code < 0x74) {
      return ((long) (code - 0x72) << 24) | rawBE(3);
    }
    if (code < 0x78) {
      return ((long) (code - 0x76) << 32) | rawBE(4);
    }
    if (code < 0x7C) {
      return ((long) (code - 0x7A) << 40) | rawBE(5);
    }
    if (code < 0x80) {
      return ((long) (code - 0x7E) << 48) | rawBE(6);
    }
    if (code < 0xA0) {
      return cacheGet(code - Tags.PRIORITY_CACHE_PACKED_START);
    }
    if (code < 0xB0) {
      return struct(structAt(code - Tags.STRUCT_CACHE_PACKED_START));
    }
    if (code >= Tags.BYTES_PACKED_LENGTH_START && code < Tags.BYTES_CHUNK) {
      return bytes(code - Tags.BYTES_PACKED_LENGTH_START);
    }
    if (code >= Tags.STRING_PACKED_LENGTH_START && code < Tags.STRING_CHUNK) {
      return string(code - Tags.STRING_PACKED_LENGTH_START);
    }
    if (code >= Tags.LIST_PACKED_LENGTH_START && code < Tags.LIST) {
      return list(code - Tags.LIST_PACKED_LENGTH_START);
    }
    return switch (code) {
      case 0xFF -> -1L;
      case Tags.INT -> rawBE(8);
      case Tags.NULL -> null;
      case Tags.TRUE -> Boolean.TRUE;
      case Tags.FALSE -> Boolean.FALSE;
      case Tags.DOUBLE -> Double.longBitsToDouble(rawBE(8));
      case Tags.DOUBLE_0 -> 0.0;
      case Tags.DOUBLE_1 -> 1.0;
      case Tags.FLOAT -> Float.intBitsToFloat((int) rawBE(4));
      case Tags.BYTES -> bytes(count(limits.maxBytesLength(), "byte array"));
      case Tags.BYTES_CHUNK -> chunkedBytes();
      case Tags.STRING -> string(count(limits.maxStringBytes(), "string"));
      case Tags.STRING_CHUNK -> chunkedString();
      case Tags.LIST -> list(count(limits.maxCollection(), "list"));
      case Tags.BEGIN_CLOSED_LIST, Tags.BEGIN_OPEN_LIST -> unboundedList(code == Tags.BEGIN_OPEN_LIST);
      case Tags.CODE_MAP -> struct(Tags.MAP, 1);
      case Tags.CODE_SET -> struct(Tags.SET, 1);
      case Tags.CODE_UUID -> struct(Tags.UUID, 1);
      case Tags.CODE_URI -> struct(Tags.URI, 1);
      case Tags.CODE_BIGINT -> struct(Tags.BIGINT, 1);
      case Tags.CODE_BIGDEC -> struct(Tags.BIGDEC, 2);
      case Tags.CODE_INST -> struct(Tags.INST, 1);
      case Tags.CODE_SYM -> struct(Tags.SYM, 2);
      case Tags.CODE_KEY -> struct(Tags.KEY, 2);
      case Tags.STRUCTTYPE -> structType();
      case Tags.STRUCT -> struct(structAt(index("struct")));
      case Tags.PUT_PRIORITY_CACHE -> cachePut();
      case Tags.GET_PRIORITY_CACHE -> cacheGet(index("priority cache"));
      case Tags.RESET_CACHES -> {
        if (priorityCache != null) {
          priorityCache.clear();
        }
        if (structCache != null) {
          structCache.clear();
        }
        yield read();
      }
      case Tags.END_COLLECTION -> throw malformed("end of a collection that was not begun");
      default -> throw malformed(String.format("code 0x%02X is not accepted", code));
    };
  }

  /** An int read as a Fressian value (any int encoding), required to be a Long. */
  private long readLong(String what) {
    Object o = read();
    if (o instanceof Long l) {
      return l;
    }
    throw malformed(what + " must be an integer, got " + typeName(o));
  }

  private int count(int max, String what) {
    Object o = read();
    if (!(o instanceof Long)) {
      throw malformed(what + " length must be an integer, got " + typeName(o));
    }
    long n = (Long) o;
    if (n < 0 || n > max) {
      throw malformed(what + " length " + n + " outside 0.." + max);
    }
    return (int) n;
  }

  private int index(String what) {
    Object o = read();
    if (!(o instanceof Long)) {
      throw malformed(what + " index must be an integer, got " + typeName(o));
    }
    long n = (Long) o;
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw malformed(what + " index " + n + " out of range");
    }
    return (int) n;
  }

  private void requireLeft(long n, String what) {
    if (n > end - pos) {
      throw malformed(what + " of length " + n + ", but only " + (end - pos) + " bytes are left");
    }
  }

  private byte[] bytes(int n) {
    requireLeft(n, "byte array");
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  private byte[] chunkedBytes() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = Tags.BYTES_CHUNK;
    while (true) {
      int n = count(limits.maxBytesLength(), "byte chunk");
      requireLeft(n, "byte chunk");
      if ((long) out.size() + n > limits.maxBytesLength()) {
        throw malformed("byte array longer than " + limits.maxBytesLength());
      }
      out.write(buf, pos, n);
      pos += n;
      if (code == Tags.BYTES) {
        return out.toByteArray();
      }
      code = u8();
      if (code != Tags.BYTES_CHUNK && code != Tags.BYTES) {
        throw malformed(String.format("code 0x%02X inside chunked bytes", code));
      }
    }
  }

  private String string(int n) {
    requireLeft(n, "string");
    int start = pos;
    pos += n;
    for (int i = start; i < start + n; i++) {
      if (buf[i] < 0) {
        StringBuilder sb = new StringBuilder(n);
        decodeUtf8(sb, start, start + n);
        return sb.toString();
      }
    }
    return new String(buf, start, n, StandardCharsets.ISO_8859_1);
  }

  private String chunkedString() {
    StringBuilder sb = new StringBuilder();
    long total = 0;
    int code = Tags.STRING_CHUNK;
    while (true) {
      int n =
          code >= Tags.STRING_PACKED_LENGTH_START && code < Tags.STRING_CHUNK
              ? code - Tags.STRING_PACKED_LENGTH_START
              : count(limits.maxStringBytes(), "string chunk");
      requireLeft(n, "string chunk");
      total += n;
      if (total > limits.maxStringBytes()) {
        throw malformed("string longer than " + limits.maxStringBytes() + " bytes");
      }
      decodeUtf8(sb, pos, pos + n);
      pos += n;
      if (code != Tags.STRING_CHUNK) {
        return sb.toString();
      }
      code = u8();
      if (code != Tags.STRING_CHUNK
          && code != Tags.STRING
          && !(code >= Tags.STRING_PACKED_LENGTH_START && code < Tags.STRING_CHUNK)) {
        throw malformed(String.format("code 0x%02X inside a chunked string", code));
      }
    }
  }

  /** Fressian's UTF-8: each UTF-16 code unit as 1 to 3 bytes (surrogates encoded one by one). */
  private void decodeUtf8(StringBuilder sb, int from, int to) {
    int i = from;
    while (i < to) {
      int b = buf[i++] & 0xff;
      switch (b >> 4) {
        case 0, 1, 2, 3, 4, 5, 6, 7 -> sb.append((char) b);
        case 12, 13 -> {
          if (i >= to || (buf[i] & 0xC0) != 0x80) {
            throw malformed("bad UTF-8 in a string");
          }
          sb.append((char) (((b & 0x1f) << 6) | (buf[i++] & 0x3f)));
        }
        case 14 -> {
          if (i + 1 >= to || (buf[i] & 0xC0) != 0x80 || (buf[i + 1] & 0xC0) != 0x80) {
            throw malformed("bad UTF-8 in a string");
          }
          sb.append((char) (((b & 0x0f) << 12) | ((buf[i] & 0x3f) << 6) | (buf[i + 1] & 0x3f)));
          i += 2;
        }
        default -> throw malformed("bad UTF-8 in a string");
      }
    }
  }

  private List<Object> list(int n) {
    if (n > limits.maxCollection()) {
      throw malformed("list of " + n + " elements, more than " + limits.maxCollection());
    }
    requireLeft(n, "list"); // every element takes at least one byte
    Object[] items = new Object[n];
    for (int i = 0; i < n; i++) {
      items[i] = read();
    }
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  private List<Object> unboundedList(boolean open) {
    ArrayList<Object> items = new ArrayList<>();
    while (true) {
      if (open && pos == end) {
        break;
      }
      if (pos < end && (buf[pos] & 0xff) == Tags.END_COLLECTION) {
        pos++;
        break;
      }
      if (items.size() >= limits.maxCollection()) {
        throw malformed("list of more than " + limits.maxCollection() + " elements");
      }
      items.add(read());
    }
    return Collections.unmodifiableList(Arrays.asList(items.toArray()));
  }

  private List<?> readList(String what) {
    Object o = read();
    if (o instanceof List<?> l) {
      return l;
    }
    throw malformed(what + " must be a list, got " + typeName(o));
  }

  // ---- caches ------------------------------------------------------------------------------

  private Object cachePut() {
    if (priorityCache == null) {
      priorityCache = new ArrayList<>();
    }
    int index = priorityCache.size();
    priorityCache.add(UNDER_CONSTRUCTION);
    long before = elements;
    Object v = read();
    priorityCache.set(index, new Cached(v, elements - before));
    return v;
  }

  private Object cacheGet(int index) {
    if (priorityCache == null || index >= priorityCache.size()) {
      throw malformed("priority cache index " + index + " was never put");
    }
    Object c = priorityCache.get(index);
    if (c == UNDER_CONSTRUCTION) {
      throw malformed("priority cache entry " + index + " refers to itself");
    }
    Cached cached = (Cached) c;
    elements += cached.cost();
    if (elements > limits.maxElements()) {
      throw malformed("more than " + limits.maxElements() + " values in one frame (counting cached values)");
    }
    return cached.value();
  }

  private Object structType() {
    Object tag = read();
    if (!(tag instanceof String t)) {
      throw malformed("a struct tag must be a string, got " + typeName(tag));
    }
    long fields = readLong("struct field count");
    if (fields < 0 || fields > WireLimits.MAX_STRUCT_FIELDS) {
      throw malformed("struct " + t + " with " + fields + " fields");
    }
    if (structCache == null) {
      structCache = new ArrayList<>();
    }
    StructType st = new StructType(t, (int) fields);
    structCache.add(st);
    return struct(st);
  }

  private StructType structAt(int index) {
    if (structCache == null || index >= structCache.size()) {
      throw malformed("struct cache index " + index + " was never defined");
    }
    return structCache.get(index);
  }

  private Object struct(StructType st) {
    return struct(st.tag(), st.fields());
  }

  // ---- tagged values -----------------------------------------------------------------------

  private Object struct(String tag, int fields) {
    int want = fieldCount(tag);
    if (want < 0) {
      throw malformed("unknown tag '" + tag + "' (not registered with this codec)");
    }
    if (fields != want) {
      throw malformed("tag '" + tag + "' has " + want + " fields, not " + fields);
    }
    return switch (tag) {
      case Tags.MAP -> map(readList("map entries"));
      case Tags.SET -> set(readList("set elements"));
      case Tags.UUID -> {
        byte[] b = readBytes("uuid");
        if (b.length != 16) {
          throw malformed("a uuid has 16 bytes, not " + b.length);
        }
        yield uuid(b);
      }
      case Tags.URI -> {
        String s = readString("uri");
        try {
          yield new java.net.URI(s);
        } catch (java.net.URISyntaxException e) {
          throw malformed("not a URI: " + e.getMessage());
        }
      }
      case Tags.BIGINT -> bigInteger(readBytes("bigint"));
      case Tags.BIGDEC -> {
        BigInteger unscaled = bigInteger(readBytes("bigdec"));
        long scale = readLong("bigdec scale");
        // a scale of a billion costs nothing here, but every later use rescales to 10^scale
        if (scale < -limits.maxScale() || scale > limits.maxScale()) {
          throw malformed("bigdec scale " + scale + " outside -" + limits.maxScale() + ".." + limits.maxScale());
        }
        yield new BigDecimal(unscaled, (int) scale);
      }
      case Tags.INST -> Instant.ofEpochMilli(readLong("inst"));
      case Tags.INSTANT -> {
        long s = readLong("instant seconds");
        long n = readLong("instant nanos");
        if (n < 0 || n > 999_999_999 || s < Instant.MIN.getEpochSecond() || s > Instant.MAX.getEpochSecond()) {
          throw malformed("instant out of range");
        }
        yield Instant.ofEpochSecond(s, n);
      }
      case Tags.KEY -> {
        String[] nsName = nsName("keyword");
        yield nsName[0] == null ? Keyword.of(nsName[1]) : Keyword.of(nsName[0], nsName[1]);
      }
      case Tags.SYM -> {
        String[] nsName = nsName("symbol");
        yield new Symbol(nsName[0], nsName[1]);
      }
      case Tags.CHAR -> {
        long c = readLong("char");
        if (c < 0 || c > 0xFFFF) {
          throw malformed("char " + c + " is not a UTF-16 code unit");
        }
        yield (char) c;
      }
      case Tags.EDN_LIST -> EdnList.copyOf(readList("edn/list elements"));
      case Tags.DATOM -> {
        long e = readLong("datom e");
        long a = readLong("datom a");
        Object v = read();
        long tx = readLong("datom tx");
        Object added = read();
        if (!(added instanceof Boolean b)) {
          throw malformed("datom added must be a boolean, got " + typeName(added));
        }
        yield new Datom(e, a, v, tx, b);
      }
      case Tags.DB -> resolver.resolve(dbRef());
      case Tags.ERROR -> ErrorValues.read(this);
      default -> user(tag);
    };
  }

  private int fieldCount(String tag) {
    return switch (tag) {
      case Tags.MAP, Tags.SET, Tags.UUID, Tags.URI, Tags.BIGINT, Tags.INST, Tags.CHAR, Tags.EDN_LIST -> 1;
      case Tags.BIGDEC, Tags.SYM, Tags.KEY, Tags.INSTANT -> 2;
      case Tags.DATOM, Tags.ERROR -> 5;
      case Tags.DB -> 6;
      default -> userHandlers.containsKey(tag) ? 1 : -1;
    };
  }

  private Object user(String tag) {
    FressianCodec.Handler<?> h = userHandlers.get(tag);
    Object fields = read();
    try {
      return h.reader().apply(fields);
    } catch (RuntimeException e) {
      throw new WireException("the reader for tag '" + tag + "' refused its value: " + e, pos, e);
    }
  }

  private byte[] readBytes(String what) {
    Object o = read();
    if (o instanceof byte[] b) {
      return b;
    }
    throw malformed(what + " must be bytes, got " + typeName(o));
  }

  String readString(String what) {
    Object o = read();
    if (o instanceof String s) {
      return s;
    }
    throw malformed(what + " must be a string, got " + typeName(o));
  }

  String readStringOrNull(String what) {
    Object o = read();
    if (o == null || o instanceof String) {
      return (String) o;
    }
    throw malformed(what + " must be a string or nil, got " + typeName(o));
  }

  Object readValue() {
    return read();
  }

  List<?> readListValue(String what) {
    return readList(what);
  }

  private String[] nsName(String what) {
    String ns = readStringOrNull(what + " namespace");
    String name = readString(what + " name");
    if (name.isEmpty()) {
      throw malformed(what + " with an empty name");
    }
    return new String[] {ns, name};
  }

  private BigInteger bigInteger(byte[] b) {
    if (b.length == 0) {
      return BigInteger.ZERO;
    }
    if (b.length > limits.maxBigNumberBytes()) {
      throw malformed("a big number of " + b.length + " bytes, more than " + limits.maxBigNumberBytes());
    }
    return new BigInteger(b);
  }

  private static UUID uuid(byte[] b) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(hi, lo);
  }

  private DbRef dbRef() {
    byte[] id = readBytes("db store id");
    if (id.length != 16) {
      throw malformed("a db store id has 16 bytes, not " + id.length);
    }
    UUID uuid = uuid(id);
    String locator = readString("db locator");
    byte[] commit = readBytes("db commit");
    if (commit.length != Address.LENGTH) {
      throw malformed("db commit address has " + commit.length + " bytes, not " + Address.LENGTH);
    }
    Long asOf = longOrNull("db asOfT");
    Long since = longOrNull("db sinceT");
    Object history = read();
    if (!(history instanceof Boolean h)) {
      throw malformed("db history must be a boolean, got " + typeName(history));
    }
    return new DbRef(new StoreId(uuid), locator, Address.fromBytes(commit), asOf, since, h);
  }

  private Long longOrNull(String what) {
    Object o = read();
    if (o == null || o instanceof Long) {
      return (Long) o;
    }
    throw malformed(what + " must be an integer or nil, got " + typeName(o));
  }

  private Map<Object, Object> map(List<?> kvs) {
    if ((kvs.size() & 1) != 0) {
      throw malformed("a map needs an even number of entries, got " + kvs.size());
    }
    checkHashFlooding(kvs, 2);
    LinkedHashMap<Object, Object> m = LinkedHashMap.newLinkedHashMap(kvs.size() / 2);
    for (int i = 0; i < kvs.size(); i += 2) {
      Object k = kvs.get(i);
      if (m.containsKey(k)) {
        throw malformed("duplicate map key");
      }
      m.put(k, kvs.get(i + 1));
    }
    return Collections.unmodifiableMap(m);
  }

  private Set<Object> set(List<?> items) {
    checkHashFlooding(items, 1);
    LinkedHashSet<Object> s = LinkedHashSet.newLinkedHashSet(items.size());
    for (Object o : items) {
      if (!s.add(o)) {
        throw malformed("duplicate set element");
      }
    }
    return Collections.unmodifiableSet(s);
  }

  /**
   * Refuses more than {@code maxEqualHashes} keys of one hash code, whatever their type: HashMap
   * keeps colliding keys of one Comparable class in a tree, but colliding keys of mixed classes
   * (Long and Double, String and Keyword) or that are not Comparable degrade to linear scans, so n
   * crafted keys would cost n^2.
   */
  private void checkHashFlooding(List<?> items, int stride) {
    int n = items.size() / stride;
    int max = limits.maxEqualHashes();
    if (n <= max) {
      return;
    }
    if (InputBounds.equalHashes(items.toArray(), 0, n, stride, max) > max) {
      throw malformed("more than " + max + " keys with one hash code (hash flooding)");
    }
  }

  static String typeName(Object o) {
    return o == null ? "nil" : o.getClass().getSimpleName();
  }

  /** Rethrows a DatahopException from store resolution unwrapped, past the decoder's catch-all. */
  static final class PassThrough extends RuntimeException {
    final DatahopException error;

    PassThrough(DatahopException error) {
      super(null, null, false, false);
      this.error = error;
    }
  }
}
