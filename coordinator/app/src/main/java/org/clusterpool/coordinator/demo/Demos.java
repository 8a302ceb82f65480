package org.clusterpool.coordinator.demo;

import java.util.List;
import java.util.Optional;

/** Every demo, in the order of the course. */
public final class Demos {
  private Demos() {}

  private static final List<Demo> ALL =
      List.of(
          new ProcessDemo(),
          new PoolDemo(),
          new IsolationDemo(),
          new GilDemo(),
          new QueueDemo(),
          new PipeDemo(),
          new MailboxDemo(),
          new HelloDemo(),
          new GatherDemo(),
          new ConcurrencyAdviceDemo());

  public static List<Demo> all() {
    return ALL;
  }

  public static Optional<Demo> find(String name) {
    return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Demo::name).toList();
  }
}
