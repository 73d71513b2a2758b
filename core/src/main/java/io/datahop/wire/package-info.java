/**
 * Values on the wire: {@link io.datahop.wire.Codec} ({@link io.datahop.wire.FressianCodec}) turns
 * values into Fressian bytes and back with a strict, bounded decoder; a {@link io.datahop.db.Db}
 * travels as its {@link io.datahop.db.DbRef} and is rebuilt through a {@link
 * io.datahop.wire.StoreRegistry}; exceptions travel as values and come back as the same datahop
 * error category or as a {@link io.datahop.wire.RemoteException}. The byte layout is in {@code
 * docs/format.md}.
 */
package io.datahop.wire;
