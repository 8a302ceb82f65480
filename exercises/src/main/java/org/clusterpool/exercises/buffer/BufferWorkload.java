package org.clusterpool.exercises.buffer;

import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;

/**
 * Producers put every item once; consumers take their share and write down what they got, each in a
 * row of its own. The clients are the producers first ({@code producer-0}...), then the consumers.
 */
final class BufferWorkload implements Workload<BoundedBuffer, Deliveries> {
  /** A producer samples the buffer's occupancy once every this many puts, and after its last. */
  private static final long SAMPLE_EVERY = 32;

  private final BufferParameters parameters;
  private final Occupancy occupancy;
  private final long[][] taken;

  BufferWorkload(BufferParameters parameters) {
    this.parameters = parameters;
    this.occupancy = new Occupancy(parameters.producers(), parameters.consumers());
    this.taken = new long[parameters.consumers()][];
    for (int c = 0; c < taken.length; c++)
      taken[c] = new long[Math.toIntExact(parameters.consumes(c))];
  }

  @Override
  public String unit() {
    return "items";
  }

  @Override
  public long operations() {
    return parameters.items();
  }

  @Override
  public int clients() {
    return parameters.producers() + parameters.consumers();
  }

  private boolean isProducer(int client) {
    return client < parameters.producers();
  }

  @Override
  public String clientName(int client) {
    return isProducer(client)
        ? "producer-" + client
        : "consumer-" + (client - parameters.producers());
  }

  @Override
  public long calls(int client) {
    return isProducer(client)
        ? parameters.produces(client)
        : parameters.consumes(client - parameters.producers());
  }

  @Override
  public void open(BoundedBuffer buffer) {
    buffer.open(parameters.capacity());
  }

  /** A put counts for nothing, a take for one item: the operations done are the items delivered. */
  @Override
  public long operate(BoundedBuffer buffer, int client, long call) throws InterruptedException {
    if (isProducer(client)) {
      buffer.put(client + call * parameters.producers());
      occupancy.putReturned(client, call + 1);
      if ((call + 1) % SAMPLE_EVERY == 0 || call + 1 == calls(client)) occupancy.sample(client);
      return 0;
    }
    int consumer = client - parameters.producers();
    occupancy.takeBegins(consumer, call + 1);
    taken[consumer][(int) call] = buffer.take();
    return 1;
  }

  @Override
  public Deliveries finish(BoundedBuffer buffer) {
    return new Deliveries(parameters.items(), parameters.capacity(), taken, occupancy.highest());
  }

  @Override
  public Verdict check(Deliveries deliveries) {
    return BufferCheck.check(deliveries);
  }
}
