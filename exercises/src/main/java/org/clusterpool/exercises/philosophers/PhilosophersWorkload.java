package org.clusterpool.exercises.philosophers;

import java.util.SplittableRandom;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;

/**
 * Each philosopher thinks a little, then dines, as many times as it has meals; the forks are
 * watched from outside.
 */
final class PhilosophersWorkload implements Workload<DiningTable, Dinner> {
  /** 16 longs between two philosophers' slots: no shared cache line. */
  private static final int STRIDE = 16;

  private final PhilosophersParameters parameters;
  private final ForkWatch watch;
  private final Runnable[] meals;
  private final SplittableRandom[] thoughts;
  private final long[] dined;

  /** Keeps the busy work's results, so that the JIT cannot drop the work. */
  private final long[] kept;

  PhilosophersWorkload(PhilosophersParameters parameters) {
    this(parameters, philosopher -> BusyWork.steps(philosopher, parameters.work()));
  }

  /**
   * With the eating of the test's choosing, such as a barrier that two neighbours must reach
   * together.
   */
  PhilosophersWorkload(PhilosophersParameters parameters, Eating eating) {
    this.parameters = parameters;
    int n = parameters.philosophers();
    this.watch = new ForkWatch(n);
    this.meals = new Runnable[n];
    this.thoughts = new SplittableRandom[n];
    this.dined = new long[n * STRIDE];
    this.kept = new long[n * STRIDE];
    for (int p = 0; p < n; p++) {
      int philosopher = p;
      thoughts[p] = new SplittableRandom(p);
      meals[p] =
          () -> {
            try {
              kept[philosopher * STRIDE] ^= watch.eat(philosopher, eating);
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new IllegalStateException("eating failed: " + e, e);
            }
          };
    }
  }

  @Override
  public String unit() {
    return "meals";
  }

  @Override
  public long operations() {
    return parameters.philosophers() * parameters.meals();
  }

  @Override
  public int clients() {
    return parameters.philosophers();
  }

  @Override
  public String clientName(int client) {
    return "philosopher-" + client;
  }

  @Override
  public long calls(int client) {
    return parameters.meals();
  }

  @Override
  public void open(DiningTable table) {
    table.open(parameters.philosophers());
  }

  @Override
  public long operate(DiningTable table, int philosopher, long meal) throws InterruptedException {
    int thinking =
        parameters.work() == 0 ? 0 : thoughts[philosopher].nextInt(parameters.work() + 1);
    kept[philosopher * STRIDE] ^= BusyWork.steps(meal, thinking);
    table.dine(philosopher, meals[philosopher]);
    dined[philosopher * STRIDE]++;
    return 1;
  }

  @Override
  public Dinner finish(DiningTable table) {
    int n = parameters.philosophers();
    long[] returned = new long[n];
    long[] eaten = new long[n];
    for (int p = 0; p < n; p++) {
      returned[p] = dined[p * STRIDE];
      eaten[p] = watch.meals(p);
    }
    return new Dinner(watch.overlaps(), returned, eaten);
  }

  @Override
  public Verdict check(Dinner dinner) {
    return DinnerCheck.check(dinner, parameters.meals());
  }
}
