package org.clusterpool.node.queue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.handle.Faults;

/**
 * A queue actor behind a wire that loses or repeats chosen messages, both ways: {@link #intoQueue}
 * on what the handles send it, {@link #intoHandles} on what it sends them. Handles find it by name,
 * as any queue. Nothing in the queue's or the handles' code knows: the queue talks to a stand-in
 * for each handle (a child of the queue, which forwards to the handle through the faults and stops
 * when the handle stops).
 */
final class LossyQueue {
  final Faults intoQueue = new Faults();
  final Faults intoHandles = new Faults();

  /** The handles' actors, in the order they first spoke to the queue. */
  final List<ActorRef<QueueClient.Command>> handles = new CopyOnWriteArrayList<>();

  void start(ActorTestKit testKit, QueueInfo info) {
    QueueSettings settings = QueueSettings.fromConfig(testKit.system().settings().config());
    testKit.spawn(
        intoQueue.around(
            QueueActor.Command.class,
            Behaviors.intercept(StandIns::new, QueueActor.create(info, settings))));
  }

  /** Replaces each handle by its stand-in in what reaches the queue. */
  private final class StandIns extends BehaviorInterceptor<QueueActor.Command, QueueActor.Command> {
    private final Map<ActorRef<QueueClient.Command>, ActorRef<QueueClient.Command>> standIns =
        new HashMap<>();

    StandIns() {
      super(QueueActor.Command.class);
    }

    @Override
    public Behavior<QueueActor.Command> aroundReceive(
        TypedActorContext<QueueActor.Command> ctx,
        QueueActor.Command message,
        ReceiveTarget<QueueActor.Command> target) {
      if (message instanceof QueueActor.FromClient from) {
        message =
            new QueueActor.FromClient(
                standIn(ctx, from.client()), from.seq(), from.ack(), from.request());
      } else if (message instanceof QueueActor.ClientSync sync) {
        message = new QueueActor.ClientSync(standIn(ctx, sync.client()), sync.sync());
      }
      return target.apply(ctx, message);
    }

    private ActorRef<QueueClient.Command> standIn(
        TypedActorContext<QueueActor.Command> ctx, ActorRef<QueueClient.Command> handle) {
      return standIns.computeIfAbsent(
          handle,
          h -> {
            handles.add(h);
            return ctx.asJava().spawnAnonymous(forwarder(h));
          });
    }
  }

  private Behavior<QueueClient.Command> forwarder(ActorRef<QueueClient.Command> handle) {
    return Behaviors.setup(
        ctx -> {
          ctx.watch(handle);
          return Behaviors.receive(QueueClient.Command.class)
              .onSignal(Terminated.class, gone -> Behaviors.stopped())
              .onAnyMessage(
                  message -> {
                    for (int copies = intoHandles.copies(message); copies > 0; copies--)
                      handle.tell(message);
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
