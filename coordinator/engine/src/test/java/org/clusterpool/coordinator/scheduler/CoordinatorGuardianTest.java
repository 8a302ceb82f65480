package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.CoordinatorProtocol.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A coordinator that fails is replaced by a new incarnation, under a new name, that gets the
 * messages that follow.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class CoordinatorGuardianTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private record Echo(ActorRef<String> replyTo)
      implements Command, NoSerializationVerificationNeeded {}

  private record Explode() implements Command, NoSerializationVerificationNeeded {}

  /**
   * A stand-in coordinator: registers as the real one does, answers with its own name, and fails on
   * demand.
   */
  private static Behavior<Command> standIn() {
    return Behaviors.setup(
        context -> {
          context
              .getSystem()
              .receptionist()
              .tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, context.getSelf()));
          return Behaviors.receive(Command.class)
              .onMessage(
                  Echo.class,
                  echo -> {
                    echo.replyTo().tell(context.getSelf().path().name());
                    return Behaviors.same();
                  })
              .onMessage(
                  Explode.class,
                  explode -> {
                    throw new IllegalStateException("a bug");
                  })
              .build();
        });
  }

  @Test
  void aFailedCoordinatorIsReplacedAndTheNewOneIsListed() {
    ActorRef<Command> guardian =
        testKit.spawn(CoordinatorGuardian.create(CoordinatorGuardianTest::standIn));
    TestProbe<String> names = testKit.createTestProbe();
    guardian.tell(new Echo(names.getRef()));
    assertEquals("coordinator-1", names.receiveMessage());

    LoggingTestKit.error("the coordinator coordinator-1 failed")
        .expect(
            testKit.system(),
            () -> {
              guardian.tell(new Explode());
              return null;
            });
    guardian.tell(new Echo(names.getRef())); // kept while none runs, then passed on
    assertEquals("coordinator-2", names.receiveMessage(Duration.ofSeconds(5)));

    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(
        () -> {
          testKit
              .system()
              .receptionist()
              .tell(Receptionist.find(CoordinatorProtocol.SERVICE_KEY, listing.getRef()));
          Set<ActorRef<Command>> listed =
              listing.receiveMessage().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
          assertEquals(1, listed.size(), "only the new incarnation is listed");
          assertNotEquals("coordinator-1", listed.iterator().next().path().name());
          return null;
        });
  }
}
