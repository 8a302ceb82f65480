package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.Optional;

/** Every benchmark scenario, in the order the table shows them. */
final class Scenarios {
  private Scenarios() {}

  static final List<Scenario> ALL =
      List.of(
          new MapThroughput(),
          new ChunksizeOne(),
          new ApplyLatency(),
          new CpuSpeedup(),
          new SkewedWork(),
          new StreamingMemory(),
          new GatherSleeps(),
          new GatherOverhead(),
          new FirstResult(),
          new WholeProcess(),
          new WholeGather(),
          new ClusterThroughput(),
          new ClusterApply(),
          new ClusterTransport(),
          new ClusterPipe(),
          new ClusterSpeedup(),
          new ClusterFormation(),
          new KillRerun(),
          new DashboardCost());

  static Optional<Scenario> find(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<String> names() {
    return ALL.stream().map(Scenario::name).toList();
  }
}
