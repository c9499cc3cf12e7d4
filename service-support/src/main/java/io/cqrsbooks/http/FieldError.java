package io.cqrsbooks.http;

import io.vertx.core.json.JsonObject;

/** Why one field (or parameter, or header) of a request was refused. */
public record FieldError(String field, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }
}
