package org.clusterpool.exercises.philosophers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every message of the waiter and the forks goes through the real serializer (jackson-cbor) and
 * comes back equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhilosophersMessagesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private <T> void survives(T message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void everyMessageSurvivesTheWire() {
    survives(new Waiter.RequestForks(4, testKit.<Waiter.ForksGranted>createTestProbe().getRef()));
    survives(Waiter.ForksGranted.INSTANCE);
    survives(new Waiter.ReturnForks(4));
    survives(new Fork.Take(2, testKit.<Fork.Taken>createTestProbe().getRef()));
    survives(Fork.Taken.INSTANCE);
    survives(new Fork.Put(2));
  }
}
