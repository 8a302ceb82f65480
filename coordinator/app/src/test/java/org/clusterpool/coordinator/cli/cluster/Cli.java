package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.clusterpool.coordinator.cli.Main;

/** Runs a command line in this JVM, as a user types it. */
final class Cli {
  private Cli() {}

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
