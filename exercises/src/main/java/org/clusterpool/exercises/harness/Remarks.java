package org.clusterpool.exercises.harness;

import java.util.List;

/**
 * What a solution can say about its own run, beyond the checked result: how often it backed off,
 * how many transfers crossed shards. Optional: a solution that implements it is asked once, after
 * its result is read, and each remark is printed under the table.
 */
public interface Remarks {
  List<String> remarks();
}
