package org.clusterpool.node.pipe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where the calls of one {@link Connection} go: to its end's actor, which talks to the other end
 * through the cluster; or, once the two ends chose a direct connection, straight into its {@link
 * DirectChannel}, on the caller's thread.
 *
 * <p>The switch keeps each caller's order. The actor first {@link #hold}s the calls (they wait
 * here) and sends itself a marker: every call told to it before is in its mailbox ahead of the
 * marker. At the marker it hands the calls it kept, then those held here, to the channel ({@link
 * #switchTo}); later calls go to the channel, behind them. A call is told to the actor under this
 * object's lock, so that it is either told before the hold or held after it.
 */
final class Route {
  private ActorRef<PipeEnd.Command> end;
  private volatile DirectChannel direct;
  private boolean holding;
  private final Deque<PipeEnd.Command> held = new ArrayDeque<>();

  /** The end's actor, once spawned (it is given this route first); before any call. */
  synchronized void bind(ActorRef<PipeEnd.Command> end) {
    this.end = end;
  }

  void call(PipeEnd.Command call) {
    DirectChannel channel = direct;
    if (channel == null) {
      synchronized (this) {
        channel = direct;
        if (channel == null) {
          if (holding) held.add(call);
          else end.tell(call);
          return;
        }
      }
    }
    channel.accept(call);
  }

  /** Whether this end talks to the other over a direct connection. */
  boolean direct() {
    return direct != null;
  }

  synchronized void hold() {
    holding = true;
  }

  /**
   * The actor's own waiting calls, then the held ones, go to {@code channel} (still shut: it only
   * queues them), in order; later calls go straight to it. The actor then opens it.
   */
  synchronized void switchTo(DirectChannel channel, List<PipeEnd.Command> kept) {
    for (PipeEnd.Command call : kept) channel.accept(handedOver(call));
    for (PipeEnd.Command call = held.poll(); call != null; call = held.poll())
      channel.accept(handedOver(call));
    direct = channel;
    holding = false;
  }

  /**
   * A blocking recv made before the switch waits on its future, not in {@link #readUntil}: the
   * channel reads for it.
   */
  private static PipeEnd.Command handedOver(PipeEnd.Command call) {
    return call instanceof PipeEnd.RecvCall<?> recv ? recv.served() : call;
  }

  /**
   * A blocking recv's thread reads for it over a direct connection (see {@link
   * DirectChannel#readUntil}).
   */
  void readUntil(CompletableFuture<?> call) throws InterruptedException {
    DirectChannel channel = direct;
    if (channel != null) channel.readUntil(call);
  }
}
