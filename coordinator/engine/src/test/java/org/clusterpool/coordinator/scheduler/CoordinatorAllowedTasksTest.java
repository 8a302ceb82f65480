package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The coordinator refuses a job for a task that its member's clusterpool.tasks.allowed leaves out,
 * whoever sends it (a client that does not check, another member's pool): in one line, before any
 * of it runs; a job for an allowed task is taken.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorAllowedTasksTest {
  private final ActorTestKit testKit =
      ActorTestKit.create(
          "allowed-tasks",
          ConfigFactory.parseString("clusterpool.tasks.allowed = [\"*\", \"!halt\"]")
              .withFallback(ConfigFactory.load("application-test")));

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aJobForATaskNotAllowedIsRefusedInOneLine() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        testKit.spawn(Coordinator.create(CoordinatorTest.SETTINGS));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = List.of(new Chunk(0, 0, new Values.LongRange(1, 2)));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "h", CoordinatorTest.task("halt"), chunks, true, client.getRef()));
    JobEvent.JobRejected rejected = client.expectMessageClass(JobEvent.JobRejected.class);
    assertEquals("h", rejected.jobId());
    assertEquals(JobEvent.JobRejected.TASK_NOT_ALLOWED, rejected.kind());
    assertTrue(
        rejected
            .reason()
            .startsWith(
                "the job was refused: task 'halt' is not allowed on this cluster"
                    + " (clusterpool.tasks.allowed: *, !halt)"),
        rejected.reason());
    assertTrue(!rejected.reason().contains("\n"));

    // an allowed task is taken: it waits for a worker, and the status counts it
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "s", CoordinatorTest.task("square"), chunks, true, client.getRef()));
    TestProbe<org.clusterpool.node.protocol.ClusterStatus> status = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.GetStatus(status.getRef()));
    assertEquals(1, status.receiveMessage().jobs().size());
  }
}
