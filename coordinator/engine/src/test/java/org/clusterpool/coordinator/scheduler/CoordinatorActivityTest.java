package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.Activity.Outcome;
import org.clusterpool.node.protocol.Activity.Span;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coordinator's chunk spans, asked for as a dashboard asks (every message through the
 * serializer): real workers running a job, and probes posing as workers where a fault must happen
 * at a chosen point (a worker stopped while it holds units, a job cancelled while a unit is out,
 * inputs that fail).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorActivityTest {

  private static final Config CONFIG =
      ConfigFactory.parseString(
              """
              pekko.actor.serialize-messages = on
              clusterpool.worker.per-node = 2
              clusterpool.cpu-dispatcher.thread-pool-executor.fixed-pool-size = 2
              """)
          .withFallback(ConfigFactory.load("application-test"))
          .withFallback(LayeredConfig.load("embedded"));

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

  private Activity activity(ActorRef<CoordinatorProtocol.Command> coordinator, long afterSeq) {
    TestProbe<Activity> probe = testKit.createTestProbe();
    coordinator.tell(
        new CoordinatorProtocol.GetActivity(afterSeq, Activity.MAX_SPANS, probe.getRef()));
    return probe.expectMessageClass(Activity.class);
  }

  private ClusterStatus status(ActorRef<CoordinatorProtocol.Command> coordinator) {
    TestProbe<ClusterStatus> probe = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.GetStatus(probe.getRef()));
    return probe.expectMessageClass(ClusterStatus.class);
  }

  private static Set<String> lanes(ClusterStatus status) {
    Set<String> lanes = new HashSet<>();
    for (ClusterStatus.WorkerStatus w : status.workers())
      lanes.add(w.info().name() + " " + w.info().node());
    return lanes;
  }

  @Test
  void messagesGoThroughTheSerializer() {
    assertTrue(testKit.system().settings().config().getBoolean("pekko.actor.serialize-messages"));
  }

  @Test
  void aJobOnRealWorkersLeavesOneOkSpanPerChunkInTheLaneOfTheWorkerThatRanIt() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        testKit.spawn(Coordinator.create(CoordinatorTest.SETTINGS));
    testKit.spawn(
        WorkerNode.create(WorkerSettings.fromConfig(CONFIG), TaskCatalog.shared(), true),
        "workers");
    TestProbe<Object> waiting = testKit.createTestProbe();
    ClusterStatus status =
        waiting.awaitAssert(
            Duration.ofSeconds(20),
            () -> {
              ClusterStatus s = status(coordinator);
              assertEquals(2, s.workers().size(), "both workers reached the coordinator");
              return s;
            });
    long before = activity(coordinator, 0).lastSeq();

    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 12; i++)
      chunks.add(new Chunk(i, i * 10L, new Values.LongRange(i * 10L, 10)));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "real-job", CoordinatorTest.task("square"), chunks, true, client.getRef()));
    int inputs = 0;
    while (inputs < 120) {
      JobEvent event = client.expectMessageClass(JobEvent.class, Duration.ofSeconds(20));
      if (event instanceof JobEvent.PartsDone done) {
        for (JobEvent.PartDone part : done.parts()) inputs += part.outputs().size();
      }
    }

    Activity seen = activity(coordinator, before);
    List<Span> spans = seen.spans();
    assertEquals(12, spans.size(), spans.toString());
    assertEquals(spans.get(spans.size() - 1).seq(), seen.lastSeq());
    long previous = before;
    for (Span span : spans) {
      assertTrue(span.seq() > previous, "in order of seq");
      previous = span.seq();
      assertEquals(Outcome.OK, span.outcome());
      assertEquals("real-job", span.jobId());
      assertEquals("square", span.task());
      assertEquals(10, span.inputs());
      assertTrue(span.endMillis() >= span.startMillis() && span.startMillis() > 0, span.toString());
      assertTrue(
          lanes(status).contains(span.worker() + " " + span.node()),
          span.worker() + " is a worker that the status shows: " + lanes(status));
    }
    assertEquals(List.of(), activity(coordinator, seen.lastSeq()).spans(), "nothing new since");
  }

  @Test
  void aWorkerStoppedHoldingUnitsLeavesRerunSpansInItsLaneAndTheRunsElsewhereOkSpans() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        testKit.spawn(Coordinator.create(CoordinatorTest.SETTINGS));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker first = new FakeWorker(coordinator, "worker-a", 2);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "j1",
            CoordinatorTest.task("square"),
            List.of(
                new Chunk(0, 0, new Values.LongRange(1, 3)),
                new Chunk(1, 3, new Values.LongRange(4, 3))),
            true,
            client.getRef()));
    WorkUnit a = first.unit();
    WorkUnit b = first.unit(); // it holds both
    ClusterStatus whileItLived = status(coordinator);
    assertEquals(
        2, whileItLived.workers().get(0).chunksInFlight(), "the status shows both units on it");

    FakeWorker second = new FakeWorker(coordinator, "worker-b", 2);
    first.probe.stop();
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    second.answer(squares(second.unit()));
    second.answer(squares(second.unit()));

    Activity seen = activity(coordinator, 0);
    List<Span> spans = seen.spans();
    assertEquals(
        List.of(Outcome.RERUN, Outcome.RERUN, Outcome.OK, Outcome.OK),
        spans.stream().map(Span::outcome).toList(),
        spans.toString());
    WorkerInfo lived = whileItLived.workers().get(0).info();
    for (Span lost : spans.subList(0, 2)) {
      assertEquals(lived.name(), lost.worker());
      assertEquals(lived.node(), lost.node());
    }
    assertEquals(Set.of(a.seq(), b.seq()), Set.of(0L, 1L));
    ClusterStatus now = status(coordinator);
    for (Span ok : spans.subList(2, 4))
      assertTrue(lanes(now).contains(ok.worker() + " " + ok.node()), ok.toString());
    assertEquals("worker-b", spans.get(2).worker());
    assertEquals(List.of(3, 3, 3, 3), spans.stream().map(Span::inputs).toList());
  }

  @Test
  void failedInputsAndACancelledJobEndTheirSpansSo() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        testKit.spawn(Coordinator.create(CoordinatorTest.SETTINGS));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "worker-c", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "failing",
            CoordinatorTest.task("square"),
            List.of(new Chunk(0, 0, new Values.LongRange(0, 2))),
            true,
            client.getRef()));
    WorkUnit unit = worker.unit();
    worker.answer(
        UnitResult.whole(
            unit.unitId(),
            unit.jobId(),
            new Values.Longs(new long[] {0, 0}),
            List.of(new ElementError(1, RemoteError.of("Boom", "input 1 failed", "worker-c"))),
            1000));
    client.expectMessageClass(JobEvent.PartsDone.class);

    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "cancelled",
            CoordinatorTest.task("square"),
            List.of(new Chunk(0, 0, new Values.LongRange(0, 2))),
            true,
            client.getRef()));
    worker.unit(); // out on the worker
    coordinator.tell(new CoordinatorProtocol.CancelJob("cancelled", "the user cancelled it"));
    worker.node.expectMessageClass(WorkerProtocol.StopJob.class);

    List<Span> spans = activity(coordinator, 0).spans();
    assertEquals(
        List.of(Outcome.FAILED, Outcome.CANCELLED),
        spans.stream().map(Span::outcome).toList(),
        spans.toString());
    assertEquals(List.of("failing", "cancelled"), spans.stream().map(Span::jobId).toList());
  }

  private static UnitResult squares(WorkUnit unit) {
    long[] out = new long[unit.inputs().size()];
    for (int i = 0; i < out.length; i++) {
      long x = ((Values.LongRange) unit.inputs()).start() + i;
      out[i] = x * x;
    }
    return UnitResult.whole(unit.unitId(), unit.jobId(), new Values.Longs(out), List.of(), 1000);
  }

  /** A probe posing as a worker with a node of its own, as in {@link CoordinatorTest}. */
  private final class FakeWorker {
    final String name;
    final TestProbe<WorkerProtocol.Command> probe;
    final TestProbe<WorkerProtocol.NodeCommand> node;
    final ActorRef<CoordinatorProtocol.Command> coordinator;
    long incarnation;
    long resultSeq;

    FakeWorker(ActorRef<CoordinatorProtocol.Command> coordinator, String name, int cpuCapacity) {
      this.name = name;
      this.coordinator = coordinator;
      this.probe = testKit.createTestProbe(name);
      this.node = testKit.createTestProbe(name + "-node");
      WorkerInfo info = new WorkerInfo(name, "pekko://test@" + name, 1);
      coordinator.tell(
          CoordinatorTest.catalog(node.getRef(), info.node(), 1, CoordinatorTest.sharedCatalog()));
      coordinator.tell(
          new CoordinatorProtocol.WorkerReport(
              probe.getRef(),
              node.getRef(),
              info,
              1,
              cpuCapacity,
              1000,
              0,
              0,
              new Values.Longs(new long[0]),
              true));
    }

    WorkUnit unit() {
      WorkerProtocol.Assign assign = probe.expectMessageClass(WorkerProtocol.Assign.class);
      incarnation = assign.incarnation();
      return assign.units().get(0);
    }

    void answer(UnitResult result) {
      coordinator.tell(
          new CoordinatorProtocol.UnitsDone(
              probe.getRef(), incarnation, ++resultSeq, List.of(result)));
    }
  }
}
