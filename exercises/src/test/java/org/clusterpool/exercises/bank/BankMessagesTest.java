package org.clusterpool.exercises.bank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every message of the account actors and shards goes through the real serializer (jackson-cbor)
 * and comes back equal.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BankMessagesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private <T> void survives(T message) {
    assertEquals(message, testKit.serializationTestKit().verifySerialization(message, false));
  }

  @Test
  void everyMessageSurvivesTheWire() {
    ActorRef<TransferReply> client = testKit.<TransferReply>createTestProbe().getRef();
    ActorRef<AccountActor.Command> account =
        testKit.<AccountActor.Command>createTestProbe().getRef();
    survives(new TransferReply.Transferred(120));
    survives(new TransferReply.Refused(30, 120));
    survives(new AccountActor.Transfer(120, account, client));
    survives(new AccountActor.Credit(120, client));
    survives(new AccountActor.GetBalance(testKit.<AccountActor.Balance>createTestProbe().getRef()));
    survives(new AccountActor.Balance(880));
    survives(new HeldAccountActor.Hold(testKit.<HeldAccountActor.Held>createTestProbe().getRef()));
    survives(new HeldAccountActor.Held(1_000));
    survives(new HeldAccountActor.Release(-120));
    survives(
        new HeldAccountActor.GetBalance(
            testKit.<HeldAccountActor.Balance>createTestProbe().getRef()));
    survives(new HeldAccountActor.Balance(880));
    ActorRef<AccountShard.Command> shard = testKit.<AccountShard.Command>createTestProbe().getRef();
    survives(new AccountShard.Peers(List.of(shard, shard)));
    survives(new AccountShard.Transfer(3, 8, 120, client));
    survives(new AccountShard.Credit(8, 120, client));
    survives(
        new AccountShard.GetBalances(testKit.<AccountShard.Balances>createTestProbe().getRef()));
    AccountShard.Balances balances = new AccountShard.Balances(1, new long[] {880, 1_120}, 7, 9);
    AccountShard.Balances back =
        testKit.serializationTestKit().verifySerialization(balances, false);
    assertArrayEquals(balances.slots(), back.slots());
    assertEquals(
        List.of(1, 7L, 9L), List.of(back.shard(), back.withinShard(), back.acrossShards()));
  }
}
