package io.github.trackscan.store;

import java.util.List;

/**
 * What a purge of missing rows did.
 *
 * @param deleted the rows deleted, as they were
 * @param errors one message per batch that could not be deleted (a host's foreign key that
 *     restricts the delete, say); nothing of such a batch was deleted
 */
public record PurgeResult(List<MissingFile> deleted, List<String> errors) {
  /** Copies the lists. */
  public PurgeResult {
    deleted = List.copyOf(deleted);
    errors = List.copyOf(errors);
  }
}
