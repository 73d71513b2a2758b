package io.datahop.db;

import io.datahop.edn.Keyword;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of one database value, read from its datoms: every ident and every attribute. Built
 * once per commit (cached by address) and shared by all Db views of that commit; immutable.
 */
final class Schema {
  // the system attributes; ids are part of the stored format
  static final long IDENT = 1, VALUE_TYPE = 2, CARDINALITY = 3, UNIQUE = 4, INDEX = 5,
      IS_COMPONENT = 6, NO_HISTORY = 7, DOC = 8, TUPLE_ATTRS = 9, TUPLE_TYPES = 10,
      TUPLE_TYPE = 11, TX_INSTANT = 12;
  // constraints (Datomic's attribute predicates and entity specs); databases made before these
  // existed lack them, since the system schema is what transaction 0 wrote
  static final long ATTR_PREDS = 60, ENTITY_ATTRS = 61, ENTITY_PREDS = 62, ENSURE = 63;
  // excision requests (Datomic's :db/excise)
  static final long EXCISE = 64, EXCISE_ATTRS = 65, EXCISE_BEFORE_T = 66, EXCISE_BEFORE = 67;

  static final Keyword K_IDENT = Keyword.of("db/ident");
  static final Keyword K_VALUE_TYPE = Keyword.of("db/valueType");
  static final Keyword K_CARDINALITY = Keyword.of("db/cardinality");
  static final Keyword K_UNIQUE = Keyword.of("db/unique");
  static final Keyword K_INDEX = Keyword.of("db/index");
  static final Keyword K_IS_COMPONENT = Keyword.of("db/isComponent");
  static final Keyword K_NO_HISTORY = Keyword.of("db/noHistory");
  static final Keyword K_DOC = Keyword.of("db/doc");
  static final Keyword K_TUPLE_ATTRS = Keyword.of("db/tupleAttrs");
  static final Keyword K_TUPLE_TYPES = Keyword.of("db/tupleTypes");
  static final Keyword K_TUPLE_TYPE = Keyword.of("db/tupleType");
  static final Keyword K_TX_INSTANT = Keyword.of("db/txInstant");
  static final Keyword CARD_ONE = Keyword.of("db.cardinality/one");
  static final Keyword CARD_MANY = Keyword.of("db.cardinality/many");
  static final Keyword UNIQUE_IDENTITY = Keyword.of("db.unique/identity");
  static final Keyword UNIQUE_VALUE = Keyword.of("db.unique/value");

  /** Ids of the enum idents the system attributes refer to. */
  private static final Object[][] ENUMS = {
    {20L, ValueType.STRING}, {21L, ValueType.LONG}, {22L, ValueType.DOUBLE}, {23L, ValueType.FLOAT},
    {24L, ValueType.BOOLEAN}, {25L, ValueType.KEYWORD}, {26L, ValueType.SYMBOL},
    {27L, ValueType.UUID_T}, {28L, ValueType.INSTANT}, {29L, ValueType.BIGINT},
    {30L, ValueType.BIGDEC}, {31L, ValueType.REF}, {32L, ValueType.BYTES}, {33L, ValueType.TUPLE},
    // added later: a store created before it has no :db.type/uri (tx/unknown-ident names it)
    {34L, ValueType.URI},
    {40L, CARD_ONE}, {41L, CARD_MANY}, {42L, UNIQUE_IDENTITY}, {43L, UNIQUE_VALUE},
    {50L, Keyword.of("db.part/db")}, {51L, Keyword.of("db.part/tx")}, {52L, Keyword.of("db.part/user")},
  };

  private static final Object[][] SYSTEM_ATTRS = {
    // id, ident, type, unique?, doc
    {IDENT, K_IDENT, ValueType.KEYWORD, UNIQUE_IDENTITY, "the unique name of an entity"},
    {VALUE_TYPE, K_VALUE_TYPE, ValueType.REF, null, "the type of an attribute's values"},
    {CARDINALITY, K_CARDINALITY, ValueType.REF, null, "one or many values per entity"},
    {UNIQUE, K_UNIQUE, ValueType.REF, null, "identity (upserting) or value uniqueness"},
    {INDEX, K_INDEX, ValueType.BOOLEAN, null, "kept in AVET"},
    {IS_COMPONENT, K_IS_COMPONENT, ValueType.BOOLEAN, null, "the ref'd entity is part of this one"},
    {NO_HISTORY, K_NO_HISTORY, ValueType.BOOLEAN, null, "history of this attribute is not needed"},
    {DOC, K_DOC, ValueType.STRING, null, "documentation"},
    {TUPLE_ATTRS, K_TUPLE_ATTRS, ValueType.TUPLE, null, "sources of a composite tuple (keywords)"},
    {TUPLE_TYPES, K_TUPLE_TYPES, ValueType.TUPLE, null, "element types of a heterogeneous tuple"},
    {TUPLE_TYPE, K_TUPLE_TYPE, ValueType.KEYWORD, null, "element type of a homogeneous tuple"},
    {TX_INSTANT, K_TX_INSTANT, ValueType.INSTANT, null, "when a transaction was committed"},
    {ATTR_PREDS, Keyword.of("db.attr/preds"), ValueType.SYMBOL, null, "predicates every value of the attribute passes", CARD_MANY},
    {ENTITY_ATTRS, Keyword.of("db.entity/attrs"), ValueType.KEYWORD, null, "attributes an entity spec requires", CARD_MANY},
    {ENTITY_PREDS, Keyword.of("db.entity/preds"), ValueType.SYMBOL, null, "predicates an entity spec requires", CARD_MANY},
    {ENSURE, Keyword.of("db/ensure"), ValueType.REF, null, "checks an entity against a spec (not stored)"},
    {EXCISE, Keyword.of("db/excise"), ValueType.REF, null, "the entity whose datoms an excision removes from all history"},
    {EXCISE_ATTRS, Keyword.of("db.excise/attrs"), ValueType.REF, null, "only these attributes of it", CARD_MANY},
    {EXCISE_BEFORE_T, Keyword.of("db.excise/beforeT"), ValueType.LONG, null, "only datoms asserted before this t"},
    {EXCISE_BEFORE, Keyword.of("db.excise/before"), ValueType.INSTANT, null, "only datoms asserted before this instant"},
  };

  private final Map<Long, Attribute> byId;
  private final Map<Keyword, Attribute> byIdent;
  private final Map<Keyword, Long> identToId;
  private final Map<Long, Keyword> idToIdent;
  /** source attribute id to the composite tuple attributes it feeds. */
  private final Map<Long, List<Attribute>> tuplesBySource;
  /** attribute id to the names of its {@code :db.attr/preds}. */
  private final Map<Long, List<String>> predicates;

  Schema(Map<Long, Attribute> byId, Map<Keyword, Long> identToId) {
    this(byId, identToId, Map.of());
  }

  Schema(Map<Long, Attribute> byId, Map<Keyword, Long> identToId, Map<Long, List<String>> predicates) {
    this.predicates = Map.copyOf(predicates);
    this.byId = Map.copyOf(byId);
    this.identToId = Map.copyOf(identToId);
    Map<Keyword, Attribute> bi = new HashMap<>();
    Map<Long, Keyword> ii = new HashMap<>();
    identToId.forEach((k, v) -> ii.put(v, k));
    Map<Long, List<Attribute>> tbs = new HashMap<>();
    for (Attribute a : byId.values()) {
      if (a.ident() != null) bi.put(a.ident(), a);
      for (Keyword src : a.tupleAttrs()) {
        Long sid = identToId.get(src);
        if (sid != null) tbs.computeIfAbsent(sid, k -> new ArrayList<>()).add(a);
      }
    }
    this.byIdent = Map.copyOf(bi);
    this.idToIdent = Map.copyOf(ii);
    this.tuplesBySource = Map.copyOf(tbs);
  }

  Attribute byId(long id) {
    return byId.get(id);
  }

  Attribute byIdent(Keyword k) {
    return byIdent.get(k);
  }

  Long idOf(Keyword ident) {
    return identToId.get(ident);
  }

  Keyword identOf(long id) {
    return idToIdent.get(id);
  }

  List<Attribute> attributes() {
    List<Attribute> l = new ArrayList<>(byId.values());
    l.sort((x, y) -> Long.compare(x.id(), y.id()));
    return l;
  }

  List<Attribute> tuplesFedBy(long attrId) {
    return tuplesBySource.getOrDefault(attrId, List.of());
  }

  boolean hasTuples() {
    return !tuplesBySource.isEmpty();
  }

  /** The {@code :db.attr/preds} of attribute {@code attrId} (names as {@code my.ns/pred}). */
  List<String> predicatesOf(long attrId) {
    return predicates.getOrDefault(attrId, List.of());
  }

  boolean hasPredicates() {
    return !predicates.isEmpty();
  }

  /** The datoms of transaction 0 that install the system schema. */
  static List<Datom> bootstrapDatoms() {
    long tx = Ids.txEid(0);
    List<Datom> out = new ArrayList<>();
    Map<Keyword, Long> enumIds = new HashMap<>();
    for (Object[] en : ENUMS) {
      out.add(new Datom((Long) en[0], IDENT, en[1], tx, true));
      enumIds.put((Keyword) en[1], (Long) en[0]);
    }
    for (Object[] sa : SYSTEM_ATTRS) {
      long id = (Long) sa[0];
      out.add(new Datom(id, IDENT, sa[1], tx, true));
      out.add(new Datom(id, VALUE_TYPE, enumIds.get((Keyword) sa[2]), tx, true));
      out.add(new Datom(id, CARDINALITY, enumIds.get(sa.length > 5 ? (Keyword) sa[5] : CARD_ONE), tx, true));
      if (sa[3] != null) out.add(new Datom(id, UNIQUE, enumIds.get((Keyword) sa[3]), tx, true));
      out.add(new Datom(id, DOC, sa[4], tx, true));
      if (id == TUPLE_ATTRS || id == TUPLE_TYPES) {
        out.add(new Datom(id, TUPLE_TYPE, ValueType.KEYWORD, tx, true));
      }
    }
    out.add(new Datom(tx, TX_INSTANT, Instant.EPOCH, tx, true));
    return out;
  }

  /** Builds the schema from the current datoms of the schema attributes. */
  static Schema build(SchemaSource src) {
    Map<Keyword, Long> identToId = new HashMap<>();
    Map<Long, Keyword> idToIdent = new HashMap<>();
    for (Datom d : src.datomsOf(IDENT)) {
      identToId.put((Keyword) d.v(), d.e());
      idToIdent.put(d.e(), (Keyword) d.v());
    }
    Map<Long, Map<Long, Object>> props = new HashMap<>();
    for (long a : new long[] {VALUE_TYPE, CARDINALITY, UNIQUE, INDEX, IS_COMPONENT, NO_HISTORY,
        TUPLE_ATTRS, TUPLE_TYPES, TUPLE_TYPE}) {
      for (Datom d : src.datomsOf(a)) {
        props.computeIfAbsent(d.e(), k -> new HashMap<>()).put(a, d.v());
      }
    }
    Map<Long, Attribute> byId = new HashMap<>();
    props.forEach((id, p) -> {
      if (!p.containsKey(VALUE_TYPE)) return;
      byId.put(id, attribute(id, idToIdent.get(id), p, idToIdent));
    });
    Map<Long, List<String>> preds = new HashMap<>();
    for (Datom d : src.datomsOf(ATTR_PREDS)) {
      preds.computeIfAbsent(d.e(), k -> new ArrayList<>()).add(String.valueOf(d.v()));
    }
    return new Schema(byId, identToId, preds);
  }

  @SuppressWarnings("unchecked")
  static Attribute attribute(long id, Keyword ident, Map<Long, Object> p, Map<Long, Keyword> idents) {
    Keyword type = refIdent(p.get(VALUE_TYPE), idents);
    Keyword card = refIdent(p.get(CARDINALITY), idents);
    Keyword unique = refIdent(p.get(UNIQUE), idents);
    boolean index = Boolean.TRUE.equals(p.get(INDEX));
    List<Keyword> tupleAttrs = p.get(TUPLE_ATTRS) instanceof List<?> l ? (List<Keyword>) l : List.of();
    List<Keyword> tupleTypes = p.get(TUPLE_TYPES) instanceof List<?> l ? (List<Keyword>) l : List.of();
    return new Attribute(
        id,
        ident,
        type,
        card == CARD_MANY,
        unique,
        index || unique != null || type == ValueType.REF,
        Boolean.TRUE.equals(p.get(IS_COMPONENT)),
        Boolean.TRUE.equals(p.get(NO_HISTORY)),
        tupleAttrs,
        tupleTypes,
        (Keyword) p.get(TUPLE_TYPE));
  }

  private static Keyword refIdent(Object v, Map<Long, Keyword> idents) {
    if (v instanceof Keyword k) return k;
    return v instanceof Long l ? idents.get(l) : null;
  }

  /** Where {@link #build} reads datoms from: the current datoms of one attribute. */
  interface SchemaSource {
    Iterable<Datom> datomsOf(long attrId);
  }

  /**
   * Schema-on-read: an attribute that was never declared. Its value type is {@code null} (any
   * storable value), its cardinality one.
   */
  static Attribute implicit(long id, Keyword ident) {
    return new Attribute(id, ident, null, false, null, false, false, false,
        List.of(), List.of(), null);
  }
}
