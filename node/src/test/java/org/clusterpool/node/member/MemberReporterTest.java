package org.clusterpool.node.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The member reporter answers this JVM's pid, and is found through the receptionist. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberReporterTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @Test
  void answersThisProcessAndIsListedWithTheReceptionist() {
    MemberReporter.start(testKit.system());
    TestProbe<Receptionist.Listing> listings = testKit.createTestProbe();
    Set<ActorRef<MemberReporter.Command>> reporters = Set.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (reporters.isEmpty() && System.nanoTime() < deadline) {
      testKit
          .system()
          .receptionist()
          .tell(Receptionist.find(MemberReporter.SERVICE_KEY, listings.getRef()));
      reporters = listings.receiveMessage().getServiceInstances(MemberReporter.SERVICE_KEY);
    }
    assertEquals(1, reporters.size());

    TestProbe<MemberReporter.MemberInfo> answers = testKit.createTestProbe();
    reporters.iterator().next().tell(new MemberReporter.GetMemberInfo(answers.getRef()));
    MemberReporter.MemberInfo info = answers.receiveMessage();
    assertEquals(ProcessHandle.current().pid(), info.pid());
    assertTrue(info.address().startsWith("pekko://"), info.address());
    assertTrue(info.maxHeapBytes() > 0 && info.processors() > 0, info.toString());
  }

  @Test
  void itsMessagesSurviveTheWire() {
    TestProbe<MemberReporter.MemberInfo> probe = testKit.createTestProbe();
    testKit
        .serializationTestKit()
        .verifySerialization(new MemberReporter.GetMemberInfo(probe.getRef()), false);
    MemberReporter.MemberInfo info =
        new MemberReporter.MemberInfo(
            "pekko://clusterpool@127.0.0.1:25521",
            4242,
            List.of("worker"),
            1_700_000_000_000L,
            256L << 20,
            2);
    assertEquals(info, testKit.serializationTestKit().verifySerialization(info, false));
  }
}
