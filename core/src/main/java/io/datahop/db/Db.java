package io.datahop.db;

import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable database value: the state of one store branch at one commit, possibly filtered
 * ({@link #asOf}, {@link #since}, {@link #history}) or extended speculatively ({@link #with}).
 * A Db never changes: the same query on it gives the same answer forever, in any process.
 *
 * <p>Entity ids may be given as a {@code long}, an ident keyword ({@code :db/ident}) or a lookup
 * ref {@code List.of(Keyword.of("person/id"), 42L)}; attributes as a keyword, its text
 * ({@code "person/name"} or {@code ":person/name"}) or its entity id.
 */
public interface Db {
  /** The t of the newest transaction this value includes (before filters). */
  long basisT();

  /** The schema of an attribute given by keyword, text or id, or {@code null} if unknown. */
  Attribute attribute(Object attr);

  /** Every attribute in the schema. */
  List<Attribute> attributes();

  /** The entity id for a long, ident or lookup ref; {@code null} when nothing matches. */
  Long entid(Object eid);

  /** The ident keyword of an entity id, or {@code null}. */
  Keyword ident(long eid);

  /**
   * Datoms of {@code index} whose leading components equal {@code components} (in the index's
   * order: e, a, v, tx for EAVT), in index order. On a history Db both assertions and
   * retractions are returned; otherwise only the datoms true at this Db's basis.
   */
  Iterable<Datom> datoms(IndexType index, Object... components);

  /** Datoms of {@code index} from the first at or after {@code components}, to the end. */
  Iterable<Datom> seekDatoms(IndexType index, Object... components);

  /** AVET datoms of {@code attr} with {@code start <= v < end} ({@code null} = open end). */
  Iterable<Datom> indexRange(Object attr, Object start, Object end);

  /**
   * An estimate, exact on an unfiltered current Db, of how many datoms {@link #datoms} would
   * return; costs O(log n) so a query planner can call it freely.
   */
  long count(IndexType index, Object... components);

  /** This database as of transaction t (a t, a tx entity id or an {@link java.time.Instant}). */
  Db asOf(Object t);

  /** Only datoms added after transaction t. */
  Db since(Object t);

  /** Every assertion and retraction ever made, with {@code added} telling which. */
  Db history();

  /** True for a {@link #history} view. */
  boolean isHistory();

  /** Applies tx-data speculatively: the report's dbAfter is not stored and cannot travel. */
  TxReport with(Object txData);

  /** The pull API: {@code pattern} as EDN text or data, applied to one entity. */
  Map<Keyword, Object> pull(Object pattern, Object eid);

  /** {@link #pull} over many entities, in order. */
  List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids);

  /** A lazy, navigable view of one entity. */
  Entity entity(Object eid);

  /**
   * The pointer this value travels as; empty for a speculative ({@link #with}) Db, which was
   * never committed and so cannot be rebuilt elsewhere.
   */
  Optional<DbRef> ref();

  /** Runs a Datalog query with this Db as {@code $} followed by {@code inputs}. */
  Object q(Object query, Object... inputs);
}
