package org.clusterpool.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.node.launcher.JvmProcess;

/**
 * Start-up and footprint: a 4-JVM cluster (this JVM coordinating, 3 worker JVMs) from nothing to
 * every worker registered, and the resident memory of an idle worker JVM.
 */
final class ClusterFormation implements Scenario {
  @Override
  public String name() {
    return "jvm-start";
  }

  @Override
  public String description() {
    return "a 4-JVM cluster (coordinator here + 3 worker JVMs) from nothing to all workers up; idle"
        + " worker resident memory";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    double[] formation = new double[context.repeats(3)];
    List<Double> resident = new ArrayList<>();
    for (int i = 0; i < formation.length; i++) {
      long start = System.nanoTime();
      try (LocalCluster cluster = Clusters.start(3, 2)) {
        formation[i] = (System.nanoTime() - start) / 1e9;
        if (i == 0) {
          Thread.sleep(5000); // idle, after start-up's garbage is collected
          for (JvmProcess node : cluster.nodes())
            resident.add(Clusters.residentMegabytes(node.pid()));
        }
      }
    }
    double medianRss = Samples.median(resident.stream().mapToDouble(Double::doubleValue).toArray());
    return List.of(
        new Row(
            "4-JVM cluster: start to all workers up",
            Figure.seconds(Samples.median(formation)),
            null,
            null,
            "3 worker JVMs started at once on this machine"),
        new Row(
            "idle worker JVM, resident memory",
            Figure.megabytes(medianRss),
            null,
            null,
            String.format(Locale.ROOT, "-Xmx256m; median of %d", resident.size())));
  }
}
