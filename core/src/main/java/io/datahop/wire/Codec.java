package io.datahop.wire;

/**
 * Turns values into self-describing bytes and back. The decoder is hostile-input safe: any
 * malformed input ends in a {@link WireException}, never another exception, an OOM or a hang.
 * The implementation is {@link FressianCodec}.
 */
public interface Codec {
  /** Encodes one value (null, scalars, collections, Datom, Db as DbRef, errors, registered types). */
  byte[] encode(Object value);

  /** Decodes one value encoded by {@link #encode}. */
  Object decode(byte[] bytes);

  /** The standard codec: default limits, no user types, Dbs resolved through {@link StoreRegistry#global()}. */
  static Codec standard() {
    return FressianCodec.standard();
  }

  /** A builder for a codec with user types, limits or another {@link StoreRegistry}. */
  static FressianCodec.Builder builder() {
    return FressianCodec.builder();
  }
}
