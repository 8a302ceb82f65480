package org.clusterpool.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.clusterpool.node.handle.Link;
import org.clusterpool.node.pipe.DirectOffer;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.pipe.PipeEnd;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every message of queues and pipes that crosses JVMs goes through the real serializer and comes
 * back equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueAndPipeSerializationTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private void roundTrip(Object message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void queueMessagesSurviveTheWire() {
    TestProbe<QueueClient.Command> client = testKit.createTestProbe();
    Values item = new Values.Longs(new long[] {42});
    QueueInfo info = new QueueInfo("jobs", "long", 8, true);
    List<QueueActor.Request> requests =
        List.of(
            new QueueActor.Describe(),
            new QueueActor.Put(1, new Values.Texts(List.of("é")), -1),
            new QueueActor.Get(2, 500),
            new QueueActor.Ack(3),
            new QueueActor.GiveBack(4),
            new QueueActor.Cancel(5),
            new QueueActor.Join(6),
            new QueueActor.GetStats(7),
            new QueueActor.Close(8));
    for (QueueActor.Request request : requests)
      roundTrip(new QueueActor.FromClient(client.getRef(), 11, 10, request));
    roundTrip(new QueueActor.ClientSync(client.getRef(), new Link.Sync(12, 9, true)));
    roundTrip(new QueueActor.ClientSync(client.getRef(), Link.Sync.unknown()));
    List<QueueClient.Answer> answers =
        List.of(
            new QueueClient.Described(info),
            new QueueClient.Accepted(1, true),
            new QueueClient.Delivered(2, 9, item, true),
            new QueueClient.Refused(2, QueueClient.Refusal.EMPTY),
            new QueueClient.Joined(6),
            new QueueClient.StatsReply(
                7,
                new QueueStats(
                    info, true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "pekko://t@127.0.0.1:1")),
            new QueueClient.Done(8),
            new QueueClient.QueueClosed());
    for (QueueClient.Answer answer : answers) roundTrip(new QueueClient.FromQueue(21, 20, answer));
    roundTrip(new QueueClient.QueueSync(new Link.Sync(3, 4, false)));
    roundTrip(new QueueActor.Inspect(testKit.<QueueStats>createTestProbe().getRef()));
  }

  @Test
  void pipeMessagesSurviveTheWire() {
    TestProbe<PipeEnd.Command> end = testKit.createTestProbe();
    List<Object> messages =
        List.of(
            new PipeEnd.Hello(
                end.getRef(), Pipe.End.SECOND, "long", true, 64, false, null, PipeEnd.Direct.NONE),
            new PipeEnd.Hello(
                end.getRef(),
                Pipe.End.FIRST,
                "long",
                true,
                64,
                true,
                new DirectOffer("/tmp/p/0a.sock", "00ff"),
                PipeEnd.Direct.CONNECTED),
            new PipeEnd.FromPeer(3, 2, new PipeEnd.Data(new Values.Doubles(new double[] {2.5}))),
            new PipeEnd.FromPeer(4, 2, new PipeEnd.Credit(32)),
            new PipeEnd.FromPeer(5, 2, new PipeEnd.Bye(3)),
            new PipeEnd.PeerSync(new Link.Sync(5, 2, true)),
            new PipeEnd.Inspect(testKit.<PipeStats>createTestProbe().getRef()),
            new PipeStats("p", "first", "pekko://t@127.0.0.1:1", true, false, 3, 10, 9, 1, 2, 61));
    for (Object message : messages) roundTrip(message);
  }
}
