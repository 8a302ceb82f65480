package org.clusterpool.node.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every message that may cross JVMs goes through the real serializer (jackson-cbor) and comes back
 * equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolSerializationTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final List<Values> BLOCKS =
      List.of(
          new Values.LongRange(-5, 1_000_000),
          new Values.Longs(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}),
          new Values.Doubles(new double[] {-0.0, 1.5, Double.MAX_VALUE, Double.MIN_VALUE}),
          new Values.Booleans(new boolean[] {true, false, true}),
          new Values.Texts(Arrays.asList("", "é€😀", null, "a\nb")),
          new Values.Jsons(
              Arrays.asList(
                  JsonNodeFactory.instance.objectNode().put("base", 2).put("exponent", 10),
                  JsonNodeFactory.instance.nullNode())));

  @Test
  void everyValuesBlockSurvivesTheWire() {
    for (Values block : BLOCKS) {
      Chunk chunk = new Chunk(3, 300, block);
      assertEquals(
          chunk,
          testKit
              .serializationTestKit()
              .verifySerialization(
                  new CoordinatorProtocol.AddChunks("j1", List.of(chunk), false), false)
              .chunks()
              .get(0));
    }
  }

  @Test
  void everyProtocolMessageSurvivesTheWire() {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<ClusterStatus> status = testKit.createTestProbe();
    WorkerInfo info = new WorkerInfo("worker-1", "pekko://clusterpool@127.0.0.1:25520", 42);
    RemoteError error = RemoteError.of(new IllegalStateException("boom"), "worker-1");
    List<ElementError> errors = List.of(new ElementError(1, error));
    WorkUnit unit =
        new WorkUnit(
            7, "j1", "square", "sha256:3f2a9c0b1d4e5f67", 3, 0, 300, new Values.LongRange(300, 10));
    TaskSignature square = new TaskSignature("square", TaskKind.CPU, "sha256:3f2a9c0b1d4e5f67");
    UnitResult result =
        new UnitResult(7, "j1", 4, new Values.Longs(new long[] {1, 0}), errors, 1234);

    List<Object> messages =
        List.of(
            new CoordinatorProtocol.WorkerReport(
                worker.getRef(),
                node.getRef(),
                info,
                3,
                2,
                20000,
                99,
                12,
                new Values.Longs(new long[] {7, 8}),
                true),
            new CoordinatorProtocol.UnitsDone(worker.getRef(), 99, 5, List.of(result)),
            new CoordinatorProtocol.WorkerLeaving(worker.getRef(), ""),
            new CoordinatorProtocol.WorkerLeaving(
                worker.getRef(), "System.exit called by a.B.c(B.java:3)"),
            new CoordinatorProtocol.NodeCatalog(
                node.getRef(),
                "pekko://clusterpool@127.0.0.1:25521",
                3,
                0,
                2,
                List.of(square, new TaskSignature("sleep", TaskKind.ASYNC, "version:2.1"))),
            new CoordinatorProtocol.SubmitJob(
                "j1",
                square,
                List.of(new Chunk(0, 0, new Values.LongRange(1, 10))),
                true,
                client.getRef()),
            new CoordinatorProtocol.AddChunks("j1", List.of(), true),
            new CoordinatorProtocol.CancelJob("j1", "the user asked"),
            new CoordinatorProtocol.GetStatus(status.getRef()),
            new CoordinatorProtocol.CheckJobs(
                List.of(new CoordinatorProtocol.JobCheck("j1", 12, true)), client.getRef()),
            new CoordinatorProtocol.GetActivity(
                1_764_900_000_000_000L, 500, testKit.<Activity>createTestProbe().getRef()),
            new Activity(
                1_764_900_000_000_001L,
                true,
                List.of(
                    new Activity.Span(
                        1_764_900_000_000_000L,
                        "worker-1",
                        info.node(),
                        "j1",
                        "square",
                        1_764_899_999_100L,
                        1_764_899_999_150L,
                        10,
                        Activity.Outcome.OK),
                    new Activity.Span(
                        1_764_900_000_000_001L,
                        "worker-2",
                        info.node(),
                        "j1",
                        "square",
                        1_764_899_999_100L,
                        1_764_899_999_170L,
                        10,
                        Activity.Outcome.RERUN))),
            new JobEvent.PartsDone(
                List.of(
                    new JobEvent.PartDone(
                        "j1", 3, 0, new Values.Longs(new long[] {9}), errors, info.label(), 99)),
                4),
            new JobEvent.ChunkRetried("j1", 3, 0, 10, "its worker stopped"),
            new JobEvent.JobRejected(
                "j1", JobEvent.JobRejected.TASK_UNAVAILABLE, "no worker node has task 'x'"),
            new JobEvent.JobFailed("j1", "NoWorkers", "no worker has been available for 60 s"),
            new JobEvent.JobsChecked(99, List.of("j1"), List.of("j2")),
            new ClusterStatus(
                List.of(new ClusterStatus.WorkerStatus(info, 3, 30, 1, 0, 2, 1)),
                0,
                List.of(new ClusterStatus.JobStatus("j1", "square", 2, 1, 30, 0)),
                0,
                new ClusterStatus.Counters(99, 1, 2, 3, 4, 5, 6),
                2,
                List.of(
                    new ClusterStatus.TaskVersion(
                        "cube", TaskKind.CPU, "sha256:3f2a9c0b1d4e5f67", 1, List.of("pekko://a:1")),
                    new ClusterStatus.TaskVersion(
                        "cube",
                        TaskKind.CPU,
                        "sha256:9f8e7d6c5b4a3f2e",
                        1,
                        List.of("pekko://a:2"))),
                3,
                1),
            new WorkerProtocol.Assign(99, 1, TaskKind.CPU, List.of(unit), coordinator.getRef()),
            new WorkerProtocol.ReportNow(coordinator.getRef()),
            new WorkerProtocol.SendCatalog(coordinator.getRef()),
            new WorkerProtocol.StopJob("j1"),
            new WorkerProtocol.StopUnits(List.of(7L, 8L), ""),
            new WorkerProtocol.StopUnits(List.of(9L), "worker-2"));
    for (Object message : messages) {
      assertEquals(
          message,
          testKit.serializationTestKit().verifySerialization(message, false),
          message.toString());
    }
  }

  /**
   * UTF-8 has no lone surrogate: the serializer writes one as U+FFFD (3 bytes), where it failed the
   * whole message before, and the budget counts it as written.
   */
  @Test
  void aLoneSurrogateTravelsAsAReplacementCharacterCountedAsWritten() {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    String lone = "\udc00".repeat(100_000) + "\ud800"; // none of them in a pair
    RemoteError error = RemoteError.of(new IllegalStateException("bad \udc00 message"), "worker-1");
    UnitResult result =
        new UnitResult(
            7,
            "j1",
            0,
            new Values.Texts(Arrays.asList(lone, "a\ud800b", "\ud83d\ude00")),
            List.of(new ElementError(1, error)),
            1);
    CoordinatorProtocol.UnitsDone message =
        new CoordinatorProtocol.UnitsDone(worker.getRef(), 1, 1, List.of(result));
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    byte[] bytes = serialization.serialize(message).get();
    assertTrue(
        bytes.length <= MessageBudget.of(result) + MessageBudget.ENVELOPE,
        bytes.length + " bytes, counted " + MessageBudget.of(result));
    Serializer serializer = serialization.findSerializerFor(message);
    CoordinatorProtocol.UnitsDone back =
        (CoordinatorProtocol.UnitsDone)
            serialization
                .deserialize(
                    bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
                .get();
    UnitResult read = back.results().get(0);
    assertEquals(
        List.of("\ufffd".repeat(100_001), "a\ufffdb", "\ud83d\ude00"),
        ((Values.Texts) read.outputs()).values());
    assertEquals("bad \ufffd message", read.errors().get(0).error().message());
  }
}
