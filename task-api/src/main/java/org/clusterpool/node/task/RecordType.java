package org.clusterpool.node.task;

import static org.clusterpool.node.task.ValueTypes.BOOLEAN;
import static org.clusterpool.node.task.ValueTypes.JSON;
import static org.clusterpool.node.task.ValueTypes.mismatch;
import static org.clusterpool.node.task.ValueTypes.parseDouble;
import static org.clusterpool.node.task.ValueTypes.parseLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.wire.Values;

/**
 * The value type of a record ({@link ValueTypes#record}): its components read from the command line
 * separated by commas, or from a JSON object, and carried between JVMs as JSON. Its own file: the
 * other value types are one scalar each, this one walks the record's components.
 */
final class RecordType<R extends Record> implements ValueType<R> {
  private final Class<R> type;
  private final RecordComponent[] components;
  private final Constructor<R> constructor;

  RecordType(Class<R> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) parameterTypes[i] = components[i].getType();
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
      this.constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
  }

  /** The record's components, as a tuple: {@code (base, exponent)}. */
  @Override
  public String name() {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    return "(" + String.join(", ", names) + ")";
  }

  @Override
  public String accepted() {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    return String.join(",", names)
        + " ("
        + components.length
        + " values separated by commas) or a JSON object";
  }

  @Override
  public Class<R> javaType() {
    return type;
  }

  @Override
  public R parse(String text) {
    String t = text.strip();
    if (t.startsWith("{")) {
      try {
        return fromJson(JSON.readTree(t));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("expected " + accepted() + ", got '" + text + "'");
      }
    }
    String[] parts = t.split(",", -1);
    if (parts.length != components.length) {
      throw new IllegalArgumentException("expected " + accepted() + ", got '" + text + "'");
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) values.add(parts[i].strip());
    return fromComponents(values);
  }

  /**
   * Builds the record from its components in order, converting numbers and text to each component's
   * type.
   */
  R fromComponents(List<?> values) {
    if (values.size() != components.length) {
      throw new IllegalArgumentException(
          "expected " + components.length + " values for " + name() + ", got " + values.size());
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = convert(values.get(i), components[i]);
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException(
          cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object convert(Object value, RecordComponent component) {
    Class<?> target = component.getType();
    String what = component.getName() + " of " + name();
    if (value == null) throw new IllegalArgumentException(what + " is missing");
    if (target == long.class || target == Long.class) {
      return value instanceof Number n && !(value instanceof Double)
          ? n.longValue()
          : parseLong(value.toString(), "an integer for " + what);
    }
    if (target == int.class || target == Integer.class) {
      long l =
          value instanceof Number n && !(value instanceof Double)
              ? n.longValue()
              : parseLong(value.toString(), "an integer for " + what);
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(what + " must fit in 32 bits, got " + l);
      }
      return (int) l;
    }
    if (target == double.class || target == Double.class) {
      return value instanceof Number n
          ? n.doubleValue()
          : parseDouble(value.toString(), "a number for " + what);
    }
    if (target == boolean.class || target == Boolean.class) {
      return value instanceof Boolean b ? b : BOOLEAN.parse(value.toString());
    }
    if (target == String.class) return value.toString();
    return JSON.convertValue(value, target);
  }

  @Override
  public String format(R value) {
    return String.valueOf(value);
  }

  @Override
  public JsonNode toJson(R value) {
    return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
  }

  @Override
  public R fromJson(JsonNode json) {
    try {
      return JSON.treeToValue(json, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("expected " + accepted() + ", got " + json);
    }
  }

  @Override
  public Values encode(List<? extends R> values) {
    List<JsonNode> out = new ArrayList<>(values.size());
    for (R v : values) out.add(toJson(v));
    return new Values.Jsons(out);
  }

  @Override
  public R decode(Values values, int index) {
    if (values instanceof Values.Jsons j) {
      JsonNode node = j.values().get(index);
      return node == null || node.isNull() ? null : fromJson(node);
    }
    throw mismatch(this, values);
  }
}
