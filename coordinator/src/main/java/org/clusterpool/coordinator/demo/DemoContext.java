package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;

/** What a demo needs from the command line: where to print, and how many workers to use (0: the demo's own choice). */
public record DemoContext(PrintWriter out, int workers) {
  public int workersOr(int fallback) {
    return workers > 0 ? workers : fallback;
  }
}
