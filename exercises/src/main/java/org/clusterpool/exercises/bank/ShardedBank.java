package org.clusterpool.exercises.bank;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;
import org.clusterpool.exercises.harness.Remarks;
import org.clusterpool.exercises.report.Figures;

/**
 * The accounts spread over a few worker actors, one per core: each owns its slice in private
 * memory, and only messages cross between them.
 */
final class ShardedBank implements Bank, Remarks {
  private final int shardCount = Math.max(2, Runtime.getRuntime().availableProcessors());
  private SolutionActorSystem system;
  private List<ActorRef<AccountShard.Command>> shards;
  private int accounts;
  private long withinShard;
  private long acrossShards;

  @Override
  public void open(long[] opening) {
    accounts = opening.length;
    system = SolutionActorSystem.start("sharded");
    shards = new ArrayList<>(shardCount);
    for (int s = 0; s < shardCount; s++)
      shards.add(system.spawn(AccountShard.create(s, slice(opening, s)), "shard-" + s));
    // sent before open returns, so each shard knows its peers before any client's transfer reaches
    // it
    for (ActorRef<AccountShard.Command> shard : shards) shard.tell(new AccountShard.Peers(shards));
  }

  /** The accounts of shard {@code s}, in slot order. */
  private long[] slice(long[] opening, int s) {
    long[] slots = new long[(opening.length - s + shardCount - 1) / shardCount];
    for (int slot = 0; slot < slots.length; slot++) slots[slot] = opening[slot * shardCount + s];
    return slots;
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    TransferReply reply =
        system.<AccountShard.Command, TransferReply>ask(
            shards.get(from % shardCount),
            replyTo -> new AccountShard.Transfer(from, to, amount, replyTo));
    return reply instanceof TransferReply.Transferred;
  }

  @Override
  public long[] balances() throws InterruptedException {
    List<AccountShard.Balances> slices =
        system.<AccountShard.Command, AccountShard.Balances>askAll(
            shards, AccountShard.GetBalances::new);
    long[] balances = new long[accounts];
    withinShard = 0;
    acrossShards = 0;
    for (AccountShard.Balances slice : slices) {
      for (int slot = 0; slot < slice.slots().length; slot++)
        balances[slot * shardCount + slice.shard()] = slice.slots()[slot];
      withinShard += slice.withinShard();
      acrossShards += slice.acrossShards();
    }
    return balances;
  }

  @Override
  public List<String> remarks() {
    long moved = withinShard + acrossShards;
    if (moved == 0) return List.of();
    return List.of(
        Figures.count(withinShard, "transfers")
            + " ("
            + Figures.percent((double) withinShard / moved)
            + ") stayed inside one of the "
            + shardCount
            + " shards, one message each; "
            + Figures.count(acrossShards)
            + " crossed shards, the money in a second message");
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
