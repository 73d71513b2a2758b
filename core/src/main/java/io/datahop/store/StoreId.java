package io.datahop.store;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a store: a UUID created with the store and written into it. It names the
 * address space (the seed's {@code :scope}); a {@code DbRef} names its store by this id.
 */
public record StoreId(UUID uuid) {
  public StoreId {
    Objects.requireNonNull(uuid, "uuid");
  }

  /** A fresh random id, for a new store. */
  public static StoreId random() {
    return new StoreId(UUID.randomUUID());
  }

  /** Parses the canonical UUID text form. */
  public static StoreId parse(String text) {
    return new StoreId(UUID.fromString(text));
  }

  @Override
  public String toString() {
    return uuid.toString();
  }
}
