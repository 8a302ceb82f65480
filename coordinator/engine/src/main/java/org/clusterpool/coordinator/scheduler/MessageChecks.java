package org.clusterpool.coordinator.scheduler;

import java.util.List;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.catalog.Fingerprints;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.task.TaskName;

/**
 * The checks a message must pass before the coordinator acts on it: every field there, every count
 * in range. A message from another JVM is data, and a null or a wrong count must cost that message,
 * never the coordinator. Each check returns why the message is refused, or null.
 */
final class MessageChecks {
  private MessageChecks() {}

  /** Job ids and task names longer than this are refused: they are echoed in logs and messages. */
  static final int MAX_NAME = 256;

  static String report(CoordinatorProtocol.WorkerReport report) {
    if (report.worker() == null || report.node() == null)
      return "a worker report without its worker or node";
    if (report.info() == null || report.info().name() == null || report.info().node() == null) {
      return "a worker report without who the worker is";
    }
    if (report.info().name().length() > MAX_NAME || report.info().node().length() > 2 * MAX_NAME) {
      return "a worker report whose worker or node name is too long";
    }
    if (report.cpuCapacity() < 0
        || report.cpuCapacity() > 1024
        || report.asyncCapacity() < 0
        || report.asyncCapacity() > 100_000_000) {
      return "a worker report with a capacity out of range ("
          + report.cpuCapacity()
          + ", "
          + report.asyncCapacity()
          + ")";
    }
    if (report.heldUnits() == null) return "a worker report without its held units";
    return null;
  }

  static String unitsDone(CoordinatorProtocol.UnitsDone done) {
    if (done.worker() == null) return "results without their worker";
    if (done.results() == null) return "results without a list";
    for (UnitResult result : done.results()) {
      if (result == null) return "a null result";
    }
    return null;
  }

  /** The result of a unit as such, before it is matched with the unit. */
  static String result(UnitResult result) {
    if (result.jobId() == null || result.outputs() == null || result.errors() == null) {
      return "result of unit " + result.unitId() + " without its job, outputs or errors";
    }
    if (result.offset() < 0)
      return "result of unit " + result.unitId() + " with offset " + result.offset();
    int n = result.outputs().size();
    int previous = -1;
    for (ElementError error : result.errors()) {
      if (error == null || error.error() == null)
        return "result of unit " + result.unitId() + " with a null error";
      if (error.index() < 0 || error.index() >= n || error.index() < previous) {
        return "result of unit "
            + result.unitId()
            + " with an error at "
            + error.index()
            + " of "
            + n
            + " outputs";
      }
      previous = error.index();
    }
    return null;
  }

  /** The result against its unit: the same job, and no input beyond the unit's. */
  static String matches(UnitResult result, UnitState unit) {
    if (!unit.job.jobId().equals(result.jobId())) {
      return "result of unit "
          + result.unitId()
          + " for job "
          + Echo.quote(result.jobId())
          + ", not "
          + unit.job.jobId();
    }
    if ((long) result.offset() + result.outputs().size() > unit.size()) {
      return "result of unit "
          + result.unitId()
          + " for inputs "
          + result.offset()
          + ".."
          + (result.offset() + result.outputs().size())
          + " of a unit of "
          + unit.size();
    }
    return null;
  }

  static String chunks(String jobId, List<Chunk> chunks) {
    if (jobId == null || jobId.isEmpty() || jobId.length() > MAX_NAME)
      return "a job id that is missing or too long";
    if (chunks == null) return "job " + jobId + " without a list of chunks";
    for (Chunk chunk : chunks) {
      if (chunk == null || chunk.inputs() == null) return "job " + jobId + " with a null chunk";
      if (chunk.seq() < 0
          || chunk.seq() > Integer.MAX_VALUE
          || chunk.firstIndex() < 0
          || chunk.inputs().size() == 0) {
        return "job " + jobId + " with chunk " + chunk.seq() + " out of range";
      }
    }
    return null;
  }

  static String submit(CoordinatorProtocol.SubmitJob submit) {
    if (submit.replyTo() == null) return "a job without anyone to answer";
    String task = signature(submit.task());
    if (task != null) return "a job whose task is " + task;
    return chunks(submit.jobId(), submit.chunks());
  }

  /**
   * A task as a job or a node names it: a task's name, its kind, a fingerprint of bounded length.
   */
  static String signature(TaskSignature task) {
    if (task == null || task.name() == null || task.kind() == null || task.fingerprint() == null) {
      return "missing its name, kind or fingerprint";
    }
    if (!TaskName.isValid(task.name()))
      return "not named as a task is (" + TaskName.ACCEPTED + "): " + Echo.quote(task.name());
    if (task.fingerprint().isEmpty()
        || task.fingerprint().length() > Fingerprints.MAX_LENGTH
        || !task.fingerprint().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return "'"
          + task.name()
          + "' with a fingerprint that is empty, longer than "
          + Fingerprints.MAX_LENGTH
          + " characters, or not printable ASCII";
    }
    return null;
  }

  /**
   * A part of a node's catalog: its node, a count of parts in range, this part among them, each
   * task whole.
   */
  static String catalog(CoordinatorProtocol.NodeCatalog part) {
    if (part.node() == null
        || part.address() == null
        || part.address().isEmpty()
        || part.address().length() > 2 * MAX_NAME) {
      return "a catalog without its node, or with its node's address missing or too long";
    }
    if (part.parts() < 1
        || part.parts() > NodeCatalogs.MAX_PARTS
        || part.part() < 0
        || part.part() >= part.parts()) {
      return "a catalog of "
          + part.address()
          + " with part "
          + part.part()
          + " of "
          + part.parts()
          + " (1 to "
          + NodeCatalogs.MAX_PARTS
          + " parts)";
    }
    if (part.version() < 0)
      return "a catalog of " + part.address() + " with version " + part.version();
    if (part.tasks() == null)
      return "a catalog of " + part.address() + " without its list of tasks";
    for (TaskSignature task : part.tasks()) {
      String problem = signature(task);
      if (problem != null) return "a catalog of " + part.address() + " with a task " + problem;
    }
    return null;
  }
}
