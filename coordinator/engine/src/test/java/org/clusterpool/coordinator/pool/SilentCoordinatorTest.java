package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A coordinator that is there, takes every message and answers none (a bug, a frozen actor): the
 * client checks its quiet job, hears nothing, and fails it with a {@link CoordinatorLostException}
 * after {@code clusterpool.job.coordinator-timeout}, rather than waiting for ever.
 */
@Timeout(60)
class SilentCoordinatorTest {

  @Test
  void aJobOnACoordinatorThatNeverAnswersFailsOnceItsChecksGoUnanswered() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "silent",
            ConfigFactory.parseString(
                    "pekko.actor.serialize-messages = on\n"
                        + "clusterpool.job.check-interval = 200 ms\n"
                        + "clusterpool.job.coordinator-timeout = 2 s")
                .withFallback(ConfigFactory.load()));
    List<Object> heard = new CopyOnWriteArrayList<>();
    try {
      ActorRef<CoordinatorProtocol.Command> silent =
          system.systemActorOf(
              Behaviors.receiveMessage(
                  message -> {
                    heard.add(message);
                    return Behaviors.same();
                  }),
              "silent-coordinator",
              org.apache.pekko.actor.typed.Props.empty());
      // listed, as a coordinator is: the client sees one there, and it takes everything and answers
      // nothing
      system.receptionist().tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, silent));
      try (ClusterPool pool = ClusterPool.connect(system, silent, 1)) {
        ExecutionException failed =
            assertThrows(
                ExecutionException.class,
                () ->
                    pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L))
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        assertInstanceOf(CoordinatorLostException.class, failed.getCause(), failed.toString());
        assertTrue(
            failed.getCause().getMessage().startsWith("the coordinator has not answered for 2 s"),
            failed.getCause().getMessage());
      }
      // where the fault was: the job reached the coordinator, and so did the checks it left
      // unanswered
      assertTrue(
          heard.stream().anyMatch(m -> m instanceof CoordinatorProtocol.SubmitJob), "" + heard);
      assertTrue(
          heard.stream().anyMatch(m -> m instanceof CoordinatorProtocol.CheckJobs), "" + heard);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Pekko times an ask out on its actor system's scheduler, which drops what it holds when the
   * system ends: a status asked of a silent coordinator just before its system ends must still end,
   * saying why, and not wait for a timeout that will never come.
   */
  @Test
  void aStatusPendingWhenTheActorSystemEndsEndsToo() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), "ending", ConfigFactory.load());
    CountDownLatch asked = new CountDownLatch(1);
    ActorRef<CoordinatorProtocol.Command> silent =
        system.systemActorOf(
            Behaviors.receiveMessage(
                message -> {
                  if (message instanceof CoordinatorProtocol.GetStatus) asked.countDown();
                  return Behaviors.same();
                }),
            "silent-coordinator",
            org.apache.pekko.actor.typed.Props.empty());
    ClusterPool pool = ClusterPool.connect(system, silent, 1);
    CompletableFuture<ClusterStatus> status =
        CompletableFuture.supplyAsync(() -> pool.status(Duration.ofSeconds(5)));
    try {
      assertTrue(asked.await(20, TimeUnit.SECONDS), "the status was never asked");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> status.get(30, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, failed.getCause(), failed.toString());
    assertTrue(
        failed.getCause().getMessage().startsWith("the pool stopped: its actor system terminated"),
        failed.getCause().getMessage());
  }
}
