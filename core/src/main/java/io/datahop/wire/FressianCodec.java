package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.db.DbRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The wire codec: Fressian 0.6.8 bytes with datahop's tags (see {@link Tags} for the table), a
 * strict hostile-input-safe decoder and user types through registered handlers. Immutable and
 * thread-safe; build one with {@link #builder()} or use {@link #standard()}.
 *
 * <pre>{@code
 * Codec codec = FressianCodec.builder()
 *     .register(Point.class, "app/point", p -> List.of(p.x(), p.y()),
 *               v -> new Point((Long) ((List<?>) v).get(0), (Long) ((List<?>) v).get(1)))
 *     .build();
 * byte[] bytes = codec.encode(Map.of(Keyword.of("at"), new Point(1, 2), Keyword.of("db"), conn.db()));
 * Object back = codec.decode(bytes); // the Db comes back through StoreRegistry.global()
 * }</pre>
 *
 * <p>Encoding: null, Boolean, Long (and Integer/Short/Byte, which decode as Long), Double, Float,
 * BigInteger, BigDecimal, String, Character, Keyword, Symbol, UUID, Instant (and Date, which decodes
 * as Instant), byte[], List (an {@link io.datahop.edn.EdnList} stays one), Set, Map, Datom, DbRef,
 * Db (as its DbRef), Throwable, and registered types. Anything else, and a speculative Db, is an
 * {@link DatahopException.Incorrect} at the sender.
 *
 * <p>Decoding gives unmodifiable collections (Lists are RandomAccess; Sets and Maps keep the
 * sender's order). Malformed or refused bytes throw {@link WireException} and nothing else; a DbRef
 * naming a store this process has not registered throws {@link DatahopException.NotFound}.
 */
public final class FressianCodec implements Codec {
  private static final FressianCodec STANDARD = builder().build();

  /** A registered user type: how it becomes a wire value and back. */
  record Handler<T>(Class<T> type, String tag, Function<? super T, ?> writer, Function<Object, ? extends T> reader) {}

  private final Map<Class<?>, Handler<?>> byClass;
  private final List<Handler<?>> inOrder;
  private final Map<String, Handler<?>> byTag;
  private final ConcurrentHashMap<Class<?>, Optional<Handler<?>>> assignable = new ConcurrentHashMap<>();
  private final StoreRegistry registry;
  private final boolean resolveDbRefs;
  private final WireLimits limits;

  private FressianCodec(Builder b) {
    this.inOrder = List.copyOf(b.handlers);
    Map<Class<?>, Handler<?>> c = new HashMap<>();
    Map<String, Handler<?>> t = new HashMap<>();
    for (Handler<?> h : inOrder) {
      c.put(h.type(), h);
      t.put(h.tag(), h);
    }
    this.byClass = Collections.unmodifiableMap(c);
    this.byTag = Collections.unmodifiableMap(t);
    this.registry = b.registry;
    this.resolveDbRefs = b.resolveDbRefs;
    this.limits =
        new WireLimits(
            b.maxFrameBytes,
            b.maxStringBytes,
            b.maxBytesLength,
            b.maxCollection,
            b.maxElements,
            b.maxDepth,
            b.maxBigNumberBytes,
            b.maxScale,
            b.maxEqualHashes);
  }

  /** The codec with default limits, no user types, resolving Dbs through {@link StoreRegistry#global()}. */
  public static FressianCodec standard() {
    return STANDARD;
  }

  /** A builder starting from the defaults of {@link #standard()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public byte[] encode(Object value) {
    WireWriter w = new WireWriter(this, limits.maxDepth());
    w.value(value);
    return w.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes the value in {@code bytes[offset, offset + length)}. */
  public Object decode(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length > limits.maxFrameBytes()) {
      throw new WireException("a frame of " + length + " bytes, more than " + limits.maxFrameBytes(), 0, null);
    }
    if (length == 0) {
      throw new WireException("an empty frame holds no value", 0, null);
    }
    WireReader r = new WireReader(bytes, offset, length, limits, byTag, this::resolve);
    try {
      return r.readFrame();
    } catch (WireException e) {
      throw e;
    } catch (WireReader.PassThrough p) {
      throw p.error;
    } catch (RuntimeException | StackOverflowError e) {
      // a bug or a case the checks missed must still surface as a refusal of the bytes
      throw new WireException("malformed wire bytes: " + e, r.position() - offset, e);
    }
  }

  private Object resolve(DbRef ref) {
    if (!resolveDbRefs) {
      return ref;
    }
    try {
      return registry.db(ref);
    } catch (DatahopException e) {
      throw new WireReader.PassThrough(e);
    } catch (RuntimeException e) {
      // the bytes were fine; rebuilding the Db failed in the connector or the connection
      throw new WireReader.PassThrough(
          new DatahopException.Fault(
              "wire/db-rebuild-failed",
              "could not rebuild the Db of store " + ref.storeId() + " (" + ref.locator() + "): " + e,
              Map.of("store-id", ref.storeId().toString(), "locator", ref.locator()),
              e));
    }
  }

  /** The registry DbRefs are resolved through. */
  public StoreRegistry registry() {
    return registry;
  }

  Handler<?> exactHandler(Class<?> c) {
    return byClass.isEmpty() ? null : byClass.get(c);
  }

  Handler<?> assignableHandler(Class<?> c) {
    if (inOrder.isEmpty()) {
      return null;
    }
    return assignable
        .computeIfAbsent(
            c,
            k -> {
              for (Handler<?> h : inOrder) {
                if (h.type().isAssignableFrom(k)) {
                  return Optional.of(h);
                }
              }
              return Optional.empty();
            })
        .orElse(null);
  }

  /**
   * Configures a {@link FressianCodec}. Conflicting registrations fail where they are made. Limits
   * bound what {@code decode} accepts; the defaults are generous but finite.
   */
  public static final class Builder {
    private final List<Handler<?>> handlers = new ArrayList<>();
    private final Map<String, Class<?>> tags = new LinkedHashMap<>();
    private StoreRegistry registry = StoreRegistry.global();
    private boolean resolveDbRefs = true;
    private int maxFrameBytes = WireLimits.DEFAULT.maxFrameBytes();
    private int maxStringBytes = WireLimits.DEFAULT.maxStringBytes();
    private int maxBytesLength = WireLimits.DEFAULT.maxBytesLength();
    private int maxCollection = WireLimits.DEFAULT.maxCollection();
    private long maxElements = WireLimits.DEFAULT.maxElements();
    private int maxDepth = WireLimits.DEFAULT.maxDepth();
    private int maxBigNumberBytes = WireLimits.DEFAULT.maxBigNumberBytes();
    private int maxScale = WireLimits.DEFAULT.maxScale();
    private int maxEqualHashes = WireLimits.DEFAULT.maxEqualHashes();

    private Builder() {}

    /**
     * Encodes instances of {@code type} (and, when no closer match exists, of its subtypes) as
     * {@code tag} with the single field {@code writer.apply(value)}, which must itself be
     * encodable; decoding calls {@code reader} with the decoded field. A runtime exception from
     * {@code reader} becomes a {@link WireException}.
     */
    public <T> Builder register(
        Class<T> type, String tag, Function<? super T, ?> writer, Function<Object, ? extends T> reader) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(reader, "reader");
      requireArgument(tag != null && !tag.isEmpty(), "a tag must be a non-empty string");
      requireArgument(!Tags.RESERVED.contains(tag), "tag '%s' is built in; choose another (e.g. 'app/%s')", tag, tag);
      requireArgument(!tags.containsKey(tag), "tag '%s' is already registered for %s", tag, tags.get(tag));
      for (Handler<?> h : handlers) {
        requireArgument(h.type() != type, "%s is already registered with tag '%s'", type.getName(), h.tag());
      }
      tags.put(tag, type);
      handlers.add(new Handler<>(type, tag, writer, reader));
      return this;
    }

    /** The registry DbRefs resolve through (default {@link StoreRegistry#global()}). */
    public Builder registry(StoreRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * When false, a decoded {@code db} value is the raw {@link DbRef}, not a Db: for layers that
     * forward values without touching stores. Default true.
     */
    public Builder resolveDbRefs(boolean resolve) {
      this.resolveDbRefs = resolve;
      return this;
    }

    /** Largest frame {@code decode} accepts (default 64 MiB). */
    public Builder maxFrameBytes(int n) {
      this.maxFrameBytes = positive(n, "maxFrameBytes");
      return this;
    }

    /** Largest string, in UTF-8 bytes (default 64 MiB). */
    public Builder maxStringBytes(int n) {
      this.maxStringBytes = positive(n, "maxStringBytes");
      return this;
    }

    /** Largest byte array (default 64 MiB). */
    public Builder maxBytesLength(int n) {
      this.maxBytesLength = positive(n, "maxBytesLength");
      return this;
    }

    /** Most elements in one collection (default 16 Mi; a map counts keys and values). */
    public Builder maxCollection(int n) {
      this.maxCollection = positive(n, "maxCollection");
      return this;
    }

    /** Most values in one frame, cached values counted at every use (default 16 Mi). */
    public Builder maxElements(long n) {
      requireArgument(n > 0, "maxElements must be positive, got %s", n);
      this.maxElements = n;
      return this;
    }

    /** Deepest nesting (default 1024), for encoding and decoding. */
    public Builder maxDepth(int n) {
      this.maxDepth = positive(n, "maxDepth");
      requireArgument(n <= 100_000, "maxDepth %s would risk the thread stack", n);
      return this;
    }

    /**
     * Largest BigInteger, or BigDecimal unscaled value, in two's-complement bytes (default 4,153:
     * every integer of 10,000 decimal digits, {@link io.datahop.InputBounds#MAX_DIGITS}).
     */
    public Builder maxBigNumberBytes(int n) {
      this.maxBigNumberBytes = positive(n, "maxBigNumberBytes");
      return this;
    }

    /** Largest absolute BigDecimal scale (default 10,000, {@link io.datahop.InputBounds#MAX_SCALE}). */
    public Builder maxScale(int n) {
      requireArgument(n >= 0, "maxScale must not be negative, got %s", n);
      this.maxScale = n;
      return this;
    }

    /**
     * Most keys of one hash code in one map or elements in one set, whatever their type (default
     * 64, {@link io.datahop.InputBounds#MAX_EQUAL_HASHES}): more would make building it quadratic.
     */
    public Builder maxEqualHashes(int n) {
      this.maxEqualHashes = positive(n, "maxEqualHashes");
      return this;
    }

    public FressianCodec build() {
      return new FressianCodec(this);
    }

    private static int positive(int n, String what) {
      requireArgument(n > 0, "%s must be positive, got %s", what, n);
      return n;
    }

    private static void requireArgument(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(format, args));
      }
    }
  }
}
