/**
 * The catalogue a scan writes through, and its SQLite implementation. The boundary is three
 * interfaces: {@link io.github.trackscan.store.CatalogSource} (where a catalogue lives; opens and
 * migrates it), {@link io.github.trackscan.store.Catalog} (the reads a scan and a host need) and
 * {@link io.github.trackscan.store.CatalogWriter} (the single writer). The SQLite catalogue below is
 * the default; {@code store.postgres} is the PostgreSQL one.
 *
 * <p>The SQLite library database: one SQLite file (WAL, {@code synchronous=NORMAL}) with a {@code library}
 * table of one row per audio file, a {@code scan} table of recent scans, and the fingerprint
 * snapshot with its journal of changed rows (FingerprintSnapshot) that makes a no-op rescan's read
 * a few blobs. A row whose file is gone is kept and marked ({@code missing_since}, read through a
 * partial index); only a purge ({@link io.github.trackscan.store.Library#purgeMissing}) or an
 * exclude deletes rows. {@code library_root} keeps each root's device, for telling an unmounted
 * share from an emptied folder.
 *
 * <p>{@link io.github.trackscan.store.Library} opens and migrates it (schema version in {@code
 * PRAGMA user_version}; migrations only add columns, indexes, tables and triggers, so columns a host
 * adds survive)
 * and answers the reads a host and {@code trackscan stats} need;
 * {@link io.github.trackscan.store.LibraryWriter} is its single writer, with reused prepared
 * statements and explicit transactions. Every {@link java.sql.SQLException} leaves as a
 * {@link io.github.trackscan.store.StoreException} saying what was being done.
 */
package io.github.trackscan.store;
