package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worst the coordinator can send, written by the real serializer: batches of work, results and
 * failures for a client, answers to checks and status requests. Each stays under the budget, so
 * Artery never drops one.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageBudgetTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final MessageBudget BUDGET = CoordinatorTest.BUDGET;
  private static final char WIDE = '€';

  private int bytes(Object message) {
    return SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .serialize(message)
        .get()
        .length;
  }

  private void assertUnder(Object message) {
    int size = bytes(message);
    assertTrue(
        size <= BUDGET.maxBytes(),
        message.getClass().getSimpleName() + " of " + size + " bytes, budget " + BUDGET.maxBytes());
  }

  private static String wide(int length) {
    return String.valueOf(WIDE).repeat(length);
  }

  private ActorRef<CoordinatorProtocol.Command> coordinator() {
    return testKit.spawn(Coordinator.create(CoordinatorTest.SETTINGS));
  }

  private TestProbe<WorkerProtocol.Command> worker(
      ActorRef<CoordinatorProtocol.Command> coordinator, String name, int capacity) {
    return worker(coordinator, name, capacity, CoordinatorTest.sharedCatalog());
  }

  /** A worker of a node of its own, which runs {@code tasks}. */
  private TestProbe<WorkerProtocol.Command> worker(
      ActorRef<CoordinatorProtocol.Command> coordinator,
      String name,
      int capacity,
      List<TaskSignature> tasks) {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    coordinator.tell(CoordinatorTest.catalog(node.getRef(), "pekko://t@" + name, 1, tasks));
    coordinator.tell(
        new CoordinatorProtocol.WorkerReport(
            worker.getRef(),
            node.getRef(),
            new WorkerInfo(name, "pekko://t@" + name, 1),
            1,
            capacity,
            100_000,
            0,
            0,
            new Values.Longs(new long[0]),
            true));
    return worker;
  }

  @Test
  void batchesOfChunksOfTheWidestTextStayUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    // chunks as a client cuts them: up to clusterpool.chunk.max-bytes (1 MiB) of inputs each
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 12; i++)
      chunks.add(
          new Chunk(
              i,
              i * 5L,
              new Values.Texts(
                  List.of(wide(30_000), wide(30_000), wide(30_000), wide(30_000), wide(30_000)))));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            wide(256), CoordinatorTest.task("sha256"), chunks, true, client.getRef()));
    TestProbe<WorkerProtocol.Command> worker = worker(coordinator, "w", 1);
    int units = 0;
    long incarnation = 0;
    long seq = 0;
    while (units < 12) {
      WorkerProtocol.Assign assign = worker.expectMessageClass(WorkerProtocol.Assign.class);
      assertUnder(assign);
      incarnation = assign.incarnation();
      List<UnitResult> results = new ArrayList<>();
      for (WorkUnit unit : assign.units())
        results.add(
            UnitResult.whole(
                unit.unitId(),
                unit.jobId(),
                new Values.Texts(List.of("a", "b", "c", "d", "e")),
                List.of(),
                1));
      coordinator.tell(
          new CoordinatorProtocol.UnitsDone(worker.getRef(), incarnation, ++seq, results));
      units += assign.units().size();
    }
    assertEquals(12, units);
  }

  @Test
  void aFailureOfEveryInputOfTheLargestChunkGoesToTheClientUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        testKit.spawn(
            Coordinator.create(
                CoordinatorTest.settings(
                    Duration.ofMillis(100), 1, Duration.ofSeconds(10), Duration.ofMinutes(5))));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    worker(coordinator, wide(200), 1).expectNoMessage(Duration.ofMillis(10));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            wide(256),
            CoordinatorTest.task("square"),
            List.of(new Chunk(0, 0, new Values.LongRange(0, 65_536))),
            true,
            client.getRef()));
    int failed = 0;
    while (failed < 65_536) {
      JobEvent.PartsDone done =
          client.expectMessageClass(JobEvent.PartsDone.class, Duration.ofSeconds(10));
      assertUnder(done);
      for (JobEvent.PartDone part : done.parts()) failed += part.errors().size();
    }
  }

  @Test
  void resultsPassedOnToTheClientStayUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 200; i++) chunks.add(new Chunk(i, i, new Values.LongRange(i, 1)));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            wide(256), CoordinatorTest.task("fail"), chunks, true, client.getRef()));
    TestProbe<WorkerProtocol.Command> worker = worker(coordinator, wide(256), 1);
    WorkerProtocol.Assign first = worker.expectMessageClass(WorkerProtocol.Assign.class);
    WorkUnit one = first.units().get(0);
    coordinator.tell(
        new CoordinatorProtocol.UnitsDone(
            worker.getRef(),
            first.incarnation(),
            1,
            List.of(
                UnitResult.whole(
                    one.unitId(), one.jobId(), new Values.LongRange(0, 1), List.of(), 1))));
    client.expectMessageClass(JobEvent.PartsDone.class);
    WorkerProtocol.Assign rest =
        worker.expectMessageClass(
            WorkerProtocol.Assign.class); // the cost is known: many in one batch
    assertTrue(rest.units().size() > 100, rest.units().size() + " units");
    RemoteError largest =
        new RemoteError(
            wide(300),
            wide(2000),
            wide(300),
            java.util.Collections.nCopies(RemoteError.MAX_FRAMES, wide(400)));
    // a worker's message with as much as the budget lets it carry: one unit's largest error after
    // another
    List<UnitResult> results = new ArrayList<>();
    long bytes = 0;
    for (WorkUnit unit : rest.units()) {
      UnitResult r =
          UnitResult.whole(
              unit.unitId(),
              unit.jobId(),
              new Values.LongRange(0, 1),
              List.of(new ElementError(0, largest)),
              1);
      if (!BUDGET.fits(bytes, MessageBudget.of(r))) break;
      results.add(r);
      bytes += MessageBudget.of(r);
    }
    coordinator.tell(
        new CoordinatorProtocol.UnitsDone(worker.getRef(), rest.incarnation(), 2, results));
    int parts = 0;
    while (parts < results.size()) {
      JobEvent.PartsDone done = client.expectMessageClass(JobEvent.PartsDone.class);
      assertUnder(done);
      parts += done.parts().size();
    }
  }

  @Test
  void answersToChecksAndStatusStayUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<CoordinatorProtocol.JobCheck> asked = new ArrayList<>();
    for (int i = 0; i < 3000; i++)
      asked.add(new CoordinatorProtocol.JobCheck(wide(250) + i, 1, true));
    coordinator.tell(new CoordinatorProtocol.CheckJobs(asked, client.getRef()));
    int answered = 0;
    while (answered < 3000) {
      JobEvent.JobsChecked checked = client.expectMessageClass(JobEvent.JobsChecked.class);
      assertUnder(checked);
      answered += checked.unknown().size();
    }

    // each node with a version of its own of one task: every version is listed with its nodes, as
    // far as there is room
    List<TaskSignature> shared = CoordinatorTest.sharedCatalog();
    for (int i = 0; i < 3000; i++) {
      List<TaskSignature> tasks = new ArrayList<>(shared);
      tasks.add(new TaskSignature("cube", TaskKind.CPU, String.format("version:%064d", i)));
      worker(coordinator, wide(250) + i, 1, tasks);
    }
    TestProbe<ClusterStatus> status = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.GetStatus(status.getRef()));
    ClusterStatus seen = status.expectMessageClass(ClusterStatus.class, Duration.ofSeconds(10));
    assertUnder(seen);
    assertEquals(
        3000, seen.workers().size() + seen.workersOmitted(), "the workers not listed are counted");
    assertEquals(3000, seen.workerNodes());
    assertTrue(
        seen.tasksOmitted() > 0,
        "the versions that do not fit are counted: " + seen.tasks().size());
    assertEquals(3000 + shared.size(), seen.tasks().size() + seen.tasksOmitted());
  }
}
