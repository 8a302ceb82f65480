package org.clusterpool.node.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * Makes sure the serializer can write a results message before it leaves. One it cannot write is
 * dropped by Artery with a log line, and its chunk runs again and again until it is lost, blaming a
 * healthy input. Only messages that will be serialized (to another JVM, or with {@code
 * serialize-messages}) and that hold record outputs are tried: those are JSON trees built from the
 * task's objects, which can break the serializer's limits (a record nested near {@code
 * pekko.serialization.jackson.write.max-nesting-depth}, deeper once inside the message). Numbers
 * are bytes, and texts and errors always write ({@code LenientText}). An output that cannot be
 * written fails its input alone, naming why; the others keep theirs.
 */
final class SerializationCheck {
  /**
   * The levels a results message puts around each output (the message, its results, a result, its
   * outputs and their list), with room to spare: an output nested less deep than the serializer's
   * limit by this much always writes.
   */
  private static final int MESSAGE_LEVELS = 16;

  private final Serialization serialization;
  private final boolean serializeLocal;

  /** An output at least this deep is tried with the serializer; a shallower one is not. */
  private final int deepOutput;

  SerializationCheck(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    com.typesafe.config.Config config = system.settings().config();
    this.serializeLocal = config.getBoolean("pekko.actor.serialize-messages");
    // what the receiver reads is bounded too: the lower of the two limits holds
    int limit =
        Math.min(
            config.getInt("pekko.serialization.jackson.write.max-nesting-depth"),
            config.getInt("pekko.serialization.jackson.read.max-nesting-depth"));
    this.deepOutput = Math.max(1, limit - MESSAGE_LEVELS);
  }

  /** The message, or the same with the outputs that cannot be written failed. */
  CoordinatorProtocol.UnitsDone checked(
      CoordinatorProtocol.UnitsDone message,
      ActorRef<CoordinatorProtocol.Command> to,
      String where) {
    if (!serializeLocal && !to.path().address().hasGlobalScope()) return message;
    // serializing it here as well would double the cost of every message of records: only one
    // with an output near the serializer's nesting limit, the one way a record breaks it, is tried
    if (message.results().stream().noneMatch(this::holdsDeepOutput)) return message;
    if (failure(message) == null) return message;
    List<UnitResult> results = new ArrayList<>(message.results().size());
    for (UnitResult result : message.results())
      results.add(
          result.outputs() instanceof Values.Jsons jsons
              ? checked(message, result, jsons, where)
              : result);
    return new CoordinatorProtocol.UnitsDone(
        message.worker(), message.incarnation(), message.seq(), List.copyOf(results));
  }

  private UnitResult checked(
      CoordinatorProtocol.UnitsDone message, UnitResult result, Values.Jsons jsons, String where) {
    if (failure(alone(message, result)) == null) return result;
    List<JsonNode> outputs = new ArrayList<>(jsons.values());
    List<ElementError> errors = new ArrayList<>(result.errors());
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode output = outputs.get(i);
      if (output == null || output.isNull()) continue;
      UnitResult one =
          new UnitResult(
              result.unitId(),
              result.jobId(),
              result.offset() + i,
              new Values.Jsons(List.of(output)),
              List.of(),
              0);
      Throwable failure = failure(alone(message, one));
      if (failure == null) continue;
      outputs.set(i, NullNode.getInstance());
      errors.add(
          new ElementError(
              i,
              RemoteError.of(
                  "ResultNotSerializable",
                  "its result could not be serialized to send: " + RemoteError.describe(failure),
                  where)));
    }
    errors.sort(Comparator.comparingInt(ElementError::index));
    return new UnitResult(
        result.unitId(),
        result.jobId(),
        result.offset(),
        new Values.Jsons(outputs),
        List.copyOf(errors),
        result.nanos());
  }

  private boolean holdsDeepOutput(UnitResult result) {
    if (!(result.outputs() instanceof Values.Jsons jsons)) return false;
    for (JsonNode output : jsons.values())
      if (output != null && depth(output) >= deepOutput) return true;
    return false;
  }

  /** How deep the tree goes, up to {@link #deepOutput}: walked without recursion. */
  private int depth(JsonNode root) {
    java.util.ArrayDeque<JsonNode> level = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<JsonNode> next = new java.util.ArrayDeque<>();
    level.add(root);
    int depth = 0;
    while (!level.isEmpty() && depth < deepOutput) {
      depth++;
      for (JsonNode node : level) if (node.isContainerNode()) node.forEach(next::add);
      java.util.ArrayDeque<JsonNode> done = level;
      level = next;
      next = done;
      next.clear();
    }
    return depth;
  }

  private static CoordinatorProtocol.UnitsDone alone(
      CoordinatorProtocol.UnitsDone message, UnitResult result) {
    return new CoordinatorProtocol.UnitsDone(
        message.worker(), message.incarnation(), message.seq(), List.of(result));
  }

  /** Why the serializer cannot write the message; null when it can. */
  private Throwable failure(Object message) {
    try {
      scala.util.Try<byte[]> bytes = serialization.serialize(message);
      return bytes.isFailure() ? bytes.failed().get() : null;
    } catch (Throwable t) { // a serializer that throws rather than fails its Try
      UnitRunner.rethrowIfFatal(t, false);
      return t;
    }
  }
}
