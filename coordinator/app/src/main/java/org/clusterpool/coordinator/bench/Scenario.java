package org.clusterpool.coordinator.bench;

import java.util.List;

/**
 * One named benchmark: it measures clusterpool and its peers in the same run and returns table
 * rows.
 */
interface Scenario {
  String name();

  String description();

  List<Row> run(BenchContext context) throws Exception;
}
