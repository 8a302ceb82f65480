package org.clusterpool.exercises.bank;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.Findings;

/**
 * {@code bank}: concurrent transfers between accounts, with locks in every order, and with actors.
 */
public final class BankExercise implements Exercise<Bank, BankParameters> {

  static final String GLOBAL_LOCK = "global-lock";
  static final String NAIVE_ORDER = "naive-order";
  static final String GLOBAL_ORDER = "global-order";
  static final String TRY_LOCK = "try-lock";
  static final String ACCOUNT_ACTORS = "account-actors";
  static final String ACCOUNT_ACTORS_HELD = "account-actors-held";
  static final String SHARDED = "sharded";

  private static final List<String> LOCKS =
      List.of(GLOBAL_LOCK, NAIVE_ORDER, GLOBAL_ORDER, TRY_LOCK);

  private static final List<Implementation<Bank>> REFERENCES =
      List.of(
          Implementation.reference(GLOBAL_LOCK, "one lock for the whole bank", GlobalLockBank::new),
          Implementation.reference(
              NAIVE_ORDER, "a lock per account, from then to: can deadlock", NaiveOrderBank::new),
          Implementation.reference(
              GLOBAL_ORDER, "a lock per account, lower account first", GlobalOrderBank::new),
          Implementation.reference(
              TRY_LOCK, "a lock per account, tryLock both or back off and retry", TryLockBank::new),
          Implementation.reference(
              ACCOUNT_ACTORS,
              "an actor per account; the debit sends the credit on in a message",
              AccountActorsBank::new),
          Implementation.reference(
              ACCOUNT_ACTORS_HELD,
              "an actor per account; both held for the transfer, lower first:"
                  + " the total intact at every instant",
              HeldAccountActorsBank::new),
          Implementation.reference(
              SHARDED, "accounts spread over one worker actor per core", ShardedBank::new));

  @Override
  public String name() {
    return "bank";
  }

  @Override
  public String summary() {
    return "transfers between accounts: one lock, a lock per account in naive or global order,"
        + " tryLock, actors, shards";
  }

  @Override
  public Class<Bank> solutionType() {
    return Bank.class;
  }

  @Override
  public List<Implementation<Bank>> references() {
    return REFERENCES;
  }

  @Override
  public Workload<Bank, ?> workload(BankParameters parameters) {
    return new BankWorkload(parameters);
  }

  @Override
  public BankParameters warmUp(BankParameters parameters) {
    return new BankParameters(
        parameters.threads(),
        parameters.accounts(),
        Math.max(1, Math.min(parameters.transfers() / 10, 20_000)),
        parameters.seed() + 1);
  }

  @Override
  public String describe(BankParameters parameters) {
    return parameters.threads()
        + " client threads, "
        + parameters.accounts()
        + " accounts of "
        + Figures.count(BankParameters.OPENING_BALANCE)
        + ", "
        + Figures.count(parameters.transfers())
        + " random transfers of 1 to "
        + BankParameters.MAX_AMOUNT
        + " (an operation is one transfer)";
  }

  @Override
  public List<String> findings(BankParameters parameters, List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Findings.correct(rows, NAIVE_ORDER)
        .ifPresent(
            naive ->
                lines.add(
                    NAIVE_ORDER
                        + " finished this time: it deadlocks only when transfers that wait for each"
                        + " other in a circle (A to B and B to A) take their first locks at the"
                        + " same instant, which is up to the scheduler. Fewer accounts (--accounts"
                        + " 2) make it likely; the tests force it every time."));
    Optional<Measurement> global = Findings.correct(rows, GLOBAL_LOCK);
    Optional<Measurement> ordered = Findings.correct(rows, GLOBAL_ORDER);
    if (global.isPresent() && ordered.isPresent()) {
      int cores = Runtime.getRuntime().availableProcessors();
      // two transfers can run at once only on four distinct accounts: with fewer, any two share one
      boolean disjoint = parameters.accounts() >= 4;
      String few =
          " with only "
              + parameters.accounts()
              + " accounts, any two transfers share one, so finer locks let none run at the same"
              + " time";
      lines.add(
          GLOBAL_ORDER
              + " (a lock per account) was "
              + Findings.relative(
                  ordered.get(), global.get(), GLOBAL_LOCK + " (one lock for the bank)")
              + switch (Findings.speed(ordered.get(), global.get())) {
                case FASTER ->
                    disjoint
                        ? ": transfers between different accounts ran at the same time."
                        : ";" + few + ": the difference is not parallelism.";
                case SAME ->
                    disjoint
                        ? ": with "
                            + cores
                            + " cores, what finer locks let run at once and the cost of taking two"
                            + " locks per transfer cancel out."
                        : ":" + few + ".";
                case SLOWER ->
                    disjoint
                        ? ": with "
                            + cores
                            + " cores, two locks per transfer cost more than the parallelism they"
                            + " allow."
                        : ":" + few + ", and it takes two locks per transfer.";
                case UNTOLD -> disjoint ? "." : ";" + few + ".";
              });
    }
    Findings.correct(rows, TRY_LOCK)
        .ifPresent(tryLock -> ordered.ifPresent(o -> lines.add(tryLock(tryLock, o))));
    Optional<Measurement> actors = Findings.correct(rows, ACCOUNT_ACTORS);
    Optional<Measurement> bestLock = Findings.fastestCorrect(rows, LOCKS);
    if (actors.isPresent() && bestLock.isPresent()) {
      boolean slower = Findings.speed(actors.get(), bestLock.get()) == Findings.Speed.SLOWER;
      lines.add(
          ACCOUNT_ACTORS
              + " was "
              + Findings.relative(actors.get(), bestLock.get())
              + (slower
                  ? ": each transfer is three messages and a client thread waiting for the reply,"
                      + " where a lock is a few instructions on the caller's own thread."
                  : "."));
    }
    Optional<Measurement> held = Findings.correct(rows, ACCOUNT_ACTORS_HELD);
    if (held.isPresent() && actors.isPresent()) {
      Findings.Speed speed = Findings.speed(held.get(), actors.get());
      lines.add(
          "Keeping the total intact at every instant "
              + switch (speed) {
                case SLOWER ->
                    "cost "
                        + Figures.times((double) held.get().wallNanos() / actors.get().wallNanos());
                case UNTOLD -> "has a cost that a single run cannot tell from noise";
                default -> "cost nothing measurable here";
              }
              + ": "
              + ACCOUNT_ACTORS_HELD
              + " holds both accounts for two round trips"
              + " per transfer, where "
              + ACCOUNT_ACTORS
              + " lets the money travel in a message, and for that moment the"
              + " total is short by it.");
    }
    Findings.correct(rows, SHARDED)
        .ifPresent(
            sharded ->
                actors.ifPresent(
                    a ->
                        lines.add(
                            SHARDED
                                + " was "
                                + Findings.relative(sharded, a)
                                + (Findings.speed(sharded, a) == Findings.Speed.UNTOLD
                                    ? "."
                                    : Findings.speed(sharded, a) == Findings.Speed.FASTER
                                        ? ": a few busy actors instead of one per account, and a"
                                            + " transfer inside one shard needs no second message."
                                        : ": it saves the second message only for the transfers"
                                            + " inside one shard, and every transfer still costs"
                                            + " its client a round trip."))));
    return lines;
  }

  /**
   * How try-lock compared with global-order, explained by its back-offs only when it backed off:
   * the count comes from its own remark ({@code backed off 12 times when a lock was taken}).
   */
  private static String tryLock(Measurement tryLock, Measurement ordered) {
    Findings.Speed speed = Findings.speed(tryLock, ordered);
    long backOffs = backOffs(tryLock);
    String count = backOffs < 0 ? "" : " (" + Figures.count(backOffs, "times") + " here)";
    String why;
    if (speed == Findings.Speed.UNTOLD) {
      why = ".";
    } else if (backOffs == 0) {
      why = "; it never backed off here: no thread found a lock taken.";
    } else if (speed == Findings.Speed.FASTER) {
      why =
          "; a thread that finds a lock taken backs off instead of queueing"
              + count
              + ", and the holders run on.";
    } else {
      why = "; it pays for that in retries and back-offs" + count + ".";
    }
    return TRY_LOCK
        + " was "
        + Findings.relative(tryLock, ordered)
        + ": it never waits while holding a lock, so it cannot deadlock even in the naive order"
        + why;
  }

  private static final Pattern BACKED_OFF = Pattern.compile("^backed off ([0-9,]+) times?\\b");

  /** The back-offs try-lock counted, from its remark; -1 when it made no such remark. */
  private static long backOffs(Measurement row) {
    for (String note : row.notes()) {
      Matcher matcher = BACKED_OFF.matcher(note);
      if (matcher.find()) return Long.parseLong(matcher.group(1).replace(",", ""));
    }
    return -1;
  }
}
