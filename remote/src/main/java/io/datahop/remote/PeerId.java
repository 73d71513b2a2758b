package io.datahop.remote;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The stable identity of a {@link Peer}: a UUID, plus a name kept for display and for the
 * authenticated principal. {@code PeerId.of("server")} is the same id in every process (a
 * name-based UUID, like the seed's {@code (uuid :server)}), so peers can address each other by
 * name without exchanging ids first.
 *
 * <p>Equality is by UUID only: two ids with the same UUID are the same peer whatever their name.
 *
 * @param uuid the identity
 * @param name a human-readable name (the UUID text when none was given)
 */
public record PeerId(UUID uuid, String name) {
  public PeerId {
    Objects.requireNonNull(uuid, "uuid");
    name = name == null || name.isBlank() ? uuid.toString() : name;
  }

  /** The id derived from {@code name}: equal names give equal ids in every process. */
  public static PeerId of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a peer name must not be blank");
    }
    return new PeerId(UUID.nameUUIDFromBytes(("datahop-peer:" + name).getBytes(StandardCharsets.UTF_8)), name);
  }

  /** An id for an existing UUID. */
  public static PeerId of(UUID uuid) {
    return new PeerId(uuid, null);
  }

  /** A fresh random id, for an anonymous peer. */
  public static PeerId random() {
    return of(UUID.randomUUID());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && uuid.equals(other.uuid);
  }

  @Override
  public int hashCode() {
    return uuid.hashCode();
  }

  @Override
  public String toString() {
    return name.equals(uuid.toString()) ? name : name + "(" + uuid + ")";
  }
}
