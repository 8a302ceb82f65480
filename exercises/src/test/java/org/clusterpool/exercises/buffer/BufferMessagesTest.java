package org.clusterpool.exercises.buffer;

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
 * Every message of the buffer actor goes through the real serializer (jackson-cbor) and comes back
 * equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BufferMessagesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private <T> void survives(T message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void everyMessageSurvivesTheWire() {
    survives(new BufferActor.Put(42, testKit.<BufferActor.Accepted>createTestProbe().getRef()));
    survives(BufferActor.Accepted.INSTANCE);
    survives(new BufferActor.Take(testKit.<BufferActor.Item>createTestProbe().getRef()));
    survives(new BufferActor.Item(42));
  }
}
