package org.clusterpool.node.handle;

import java.util.Comparator;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** How a handle's actor picks the one actor it talks to from a receptionist listing. */
public final class Listings {
  private Listings() {}

  /**
   * The instance of {@code key} with the least path, if any: two of one name (created at once on
   * two nodes) may be listed, and every handle picks the same one.
   */
  public static <T> Optional<ActorRef<T>> pick(Receptionist.Listing listing, ServiceKey<T> key) {
    return listing.getServiceInstances(key).stream()
        .min(Comparator.comparing(ref -> ref.path().toString()));
  }
}
