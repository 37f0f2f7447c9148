/**
 * The PostgreSQL catalogue: {@link io.github.trackscan.store.postgres.PostgresCatalog} makes a
 * {@link io.github.trackscan.store.CatalogSource} of a URL or a host's {@code DataSource}; the
 * catalogue, its writer and its schema (own migrations, version in table {@code trackscan_schema})
 * are package-private. Same rules as the SQLite catalogue; advisory locks guard each scan's roots.
 */
package io.github.trackscan.store.postgres;
