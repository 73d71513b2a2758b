package io.datahop.wire;

import java.util.Set;

/**
 * The struct tags of datahop's wire format, on top of Fressian's standard ones. Fressian codes
 * (from {@code org.fressian.impl.Codes}, format 0.6.8) are repeated here because the strict
 * reader switches on them.
 *
 * <table>
 *   <caption>built-in tags</caption>
 *   <tr><th>tag</th><th>fields</th><th>Java</th></tr>
 *   <tr><td>{@code map} (code 0xC0)</td><td>list k1 v1 k2 v2 …</td><td>insertion-ordered Map</td></tr>
 *   <tr><td>{@code set} (0xC1)</td><td>list</td><td>insertion-ordered Set</td></tr>
 *   <tr><td>{@code uuid} (0xC3)</td><td>16 bytes</td><td>UUID</td></tr>
 *   <tr><td>{@code uri} (0xC5)</td><td>string</td><td>java.net.URI (parsed, never resolved)</td></tr>
 *   <tr><td>{@code bigint} (0xC6)</td><td>two's-complement bytes</td><td>BigInteger</td></tr>
 *   <tr><td>{@code bigdec} (0xC7)</td><td>unscaled bytes, scale</td><td>BigDecimal</td></tr>
 *   <tr><td>{@code inst} (0xC8)</td><td>epoch millis</td><td>Instant (whole milliseconds)</td></tr>
 *   <tr><td>{@code sym} (0xC9), {@code key} (0xCA)</td><td>namespace or nil, name</td><td>Symbol, Keyword</td></tr>
 *   <tr><td>{@code instant}</td><td>epoch second, nano</td><td>Instant (sub-millisecond)</td></tr>
 *   <tr><td>{@code char}</td><td>code unit</td><td>Character</td></tr>
 *   <tr><td>{@code edn/list}</td><td>list</td><td>EdnList</td></tr>
 *   <tr><td>{@code datom}</td><td>e a v tx added</td><td>Datom</td></tr>
 *   <tr><td>{@code db}</td><td>store id (16 bytes), locator, commit (32 bytes), asOfT, sinceT, history</td><td>Db (or DbRef)</td></tr>
 *   <tr><td>{@code error}</td><td>class, message, stack, cause, [category code context] or nil</td><td>Throwable</td></tr>
 * </table>
 */
final class Tags {
  private Tags() {}

  static final String MAP = "map";
  static final String SET = "set";
  static final String UUID = "uuid";
  static final String URI = "uri";
  static final String BIGINT = "bigint";
  static final String BIGDEC = "bigdec";
  static final String INST = "inst";
  static final String SYM = "sym";
  static final String KEY = "key";
  static final String INSTANT = "instant";
  static final String CHAR = "char";
  static final String EDN_LIST = "edn/list";
  static final String DATOM = "datom";
  static final String DB = "db";
  static final String ERROR = "error";

  /** Tags a user handler may not take: ours and every tag Fressian gives a meaning. */
  static final Set<String> RESERVED =
      Set.of(MAP, SET, UUID, BIGINT, BIGDEC, INST, SYM, KEY, INSTANT, CHAR, EDN_LIST, DATOM, DB, ERROR,
          URI, "regex", "int[]", "long[]", "float[]", "double[]", "boolean[]", "Object[]", "list",
          "string", "bytes", "int", "double", "float", "bool", "null", "any");

  // Fressian 0.6.8 codes
  static final int PRIORITY_CACHE_PACKED_START = 0x80;
  static final int STRUCT_CACHE_PACKED_START = 0xA0;
  static final int CODE_MAP = 0xC0;
  static final int CODE_SET = 0xC1;
  static final int CODE_UUID = 0xC3;
  static final int CODE_URI = 0xC5;
  static final int CODE_BIGINT = 0xC6;
  static final int CODE_BIGDEC = 0xC7;
  static final int CODE_INST = 0xC8;
  static final int CODE_SYM = 0xC9;
  static final int CODE_KEY = 0xCA;
  static final int GET_PRIORITY_CACHE = 0xCC;
  static final int PUT_PRIORITY_CACHE = 0xCD;
  static final int BYTES_PACKED_LENGTH_START = 0xD0;
  static final int BYTES_CHUNK = 0xD8;
  static final int BYTES = 0xD9;
  static final int STRING_PACKED_LENGTH_START = 0xDA;
  static final int STRING_CHUNK = 0xE2;
  static final int STRING = 0xE3;
  static final int LIST_PACKED_LENGTH_START = 0xE4;
  static final int LIST = 0xEC;
  static final int BEGIN_CLOSED_LIST = 0xED;
  static final int BEGIN_OPEN_LIST = 0xEE;
  static final int STRUCTTYPE = 0xEF;
  static final int STRUCT = 0xF0;
  static final int TRUE = 0xF5;
  static final int FALSE = 0xF6;
  static final int NULL = 0xF7;
  static final int INT = 0xF8;
  static final int FLOAT = 0xF9;
  static final int DOUBLE = 0xFA;
  static final int DOUBLE_0 = 0xFB;
  static final int DOUBLE_1 = 0xFC;
  static final int END_COLLECTION = 0xFD;
  static final int RESET_CACHES = 0xFE;
  static final int PACKED_LENGTH_END = 8;
  static final int PRIORITY_CACHE_PACKED_END = 32;
  static final int STRUCT_CACHE_PACKED_END = 16;
}
