package org.clusterpool.coordinator.cli;

import picocli.CommandLine.Option;

/** How results are printed. */
final class OutputOptions {
  enum Format {
    text,
    json
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description =
          "text (one result a line, the default) or json (one object with the results and"
              + " timings).")
  Format format = Format.text;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar, no notes on standard error.")
  boolean quiet;
}
