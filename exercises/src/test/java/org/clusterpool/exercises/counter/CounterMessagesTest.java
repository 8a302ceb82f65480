package org.clusterpool.exercises.counter;

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
 * Every message of the counter actors goes through the real serializer (jackson-cbor) and comes
 * back equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CounterMessagesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private <T> void survives(T message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void everyMessageSurvivesTheWire() {
    survives(CounterActor.Increment.INSTANCE);
    survives(new CounterActor.GetCount(testKit.<CounterActor.Count>createTestProbe().getRef()));
    survives(new CounterActor.Count(Long.MAX_VALUE));
    survives(new SumActor.Partial(3, 250_000));
    survives(new SumActor.GetTotal(testKit.<SumActor.Total>createTestProbe().getRef()));
    survives(new SumActor.Total(1_000_000));
  }
}
