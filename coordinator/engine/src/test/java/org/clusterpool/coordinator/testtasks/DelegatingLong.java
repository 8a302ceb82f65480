package org.clusterpool.coordinator.testtasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;

/** The long type, whose methods a test overrides one by one (to break one of them). */
public abstract class DelegatingLong implements ValueType<Long> {
  @Override
  public String name() {
    return "long";
  }

  @Override
  public String accepted() {
    return ValueTypes.LONG.accepted();
  }

  @Override
  public Class<Long> javaType() {
    return Long.class;
  }

  @Override
  public Long parse(String text) {
    return ValueTypes.LONG.parse(text);
  }

  @Override
  public String format(Long value) {
    return ValueTypes.LONG.format(value);
  }

  @Override
  public JsonNode toJson(Long value) {
    return ValueTypes.LONG.toJson(value);
  }

  @Override
  public Long fromJson(JsonNode json) {
    return ValueTypes.LONG.fromJson(json);
  }

  @Override
  public Values encode(List<? extends Long> values) {
    return ValueTypes.LONG.encode(values);
  }

  @Override
  public Long decode(Values values, int index) {
    return ValueTypes.LONG.decode(values, index);
  }
}
