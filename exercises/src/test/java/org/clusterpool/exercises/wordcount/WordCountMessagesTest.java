package org.clusterpool.exercises.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every message of the pool's workers goes through the real serializer (jackson-cbor) and comes
 * back equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WordCountMessagesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private <T> void survives(T message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void everyMessageSurvivesTheWire() {
    survives(new ChunkCounter.CountChunk("beba beba bebe"));
    survives(new ChunkCounter.Report(testKit.<ChunkCounter.Counts>createTestProbe().getRef()));
    survives(new ChunkCounter.Counts(Map.of("beba", 2L, "bebe", 1L)));
  }
}
