package org.clusterpool.coordinator.bench;

import java.io.PrintWriter;

/**
 * What scenarios share: the python3 peers (null when absent), how many workers a pool gets (the
 * cores, as Pool() does), and whether to cut repetitions ({@code --quick}).
 */
record BenchContext(PythonPeers python, int workers, boolean quick, PrintWriter log) {

  int repeats(int full) {
    return quick ? Math.max(1, full / 3) : full;
  }

  boolean hasPython() {
    return python != null;
  }

  void progress(String message) {
    log.println("  ... " + message);
    log.flush();
  }
}
