/**
 * The library database: one SQLite file (WAL, {@code synchronous=NORMAL}) with a {@code library}
 * table of one row per audio file, a {@code scan} table of recent scans, and the fingerprint
 * snapshot with its journal of changed rows (FingerprintSnapshot) that makes a no-op rescan's read
 * a few blobs.
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
