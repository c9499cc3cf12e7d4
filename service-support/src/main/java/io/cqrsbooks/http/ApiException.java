package io.cqrsbooks.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A request that cannot be served, with the status and the words a client needs.
 * Thrown or failed with anywhere in a handler chain; {@link JsonErrors} turns it into the response.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final List<FieldError> details;

  public ApiException(int status, String message, List<FieldError> details) {
    super(message, null, false, false);
    this.status = status;
    this.details = List.copyOf(details);
  }

  public static ApiException invalid(List<FieldError> details) {
    return new ApiException(400, "invalid request", details);
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message, List.of());
  }

  public static ApiException foreignOrigin() {
    return new ApiException(403, "forbidden", List.of(new FieldError("Origin", "is not an allowed origin")));
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, message, List.of());
  }

  public int status() {
    return status;
  }

  public List<FieldError> details() {
    return details;
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    details.forEach(detail -> array.add(detail.toJson()));
    return new JsonObject().put("error", getMessage()).put("details", array);
  }
}
