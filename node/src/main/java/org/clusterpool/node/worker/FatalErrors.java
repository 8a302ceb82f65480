package org.clusterpool.node.worker;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The first fatal error that a worker of this actor system let go up to Pekko, so that a pool whose
 * system it stopped names it. In an embedded pool Pekko stops the system rather than the JVM
 * ({@code config/embedded.conf}), and says why only in its log; a task's own fatal error fails its
 * input and never gets here ({@link UnitRunner#rethrowIfFatal}), but one while a worker encodes or
 * sends results does.
 */
public final class FatalErrors implements Extension {
  private final AtomicReference<String> first = new AtomicReference<>();

  private FatalErrors() {}

  public static FatalErrors get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Keeps the first: what follows it is often its consequence. */
  void record(Throwable error, String where) {
    first.compareAndSet(null, error + " in " + where);
  }

  /** {@code java.lang.OutOfMemoryError: Java heap space in worker-1}, when one was recorded. */
  public Optional<String> first() {
    return Optional.ofNullable(first.get());
  }

  private static final class Id extends ExtensionId<FatalErrors> {
    static final Id INSTANCE = new Id();

    @Override
    public FatalErrors createExtension(ActorSystem<?> system) {
      return new FatalErrors();
    }
  }
}
