package org.clusterpool.node.catalog;

import java.util.List;

/** A task name that is not in the catalog. */
public final class UnknownTaskException extends IllegalArgumentException {
  public UnknownTaskException(String name, List<String> accepted) {
    super("unknown task '" + name + "': accepted: " + String.join(", ", accepted));
  }
}
