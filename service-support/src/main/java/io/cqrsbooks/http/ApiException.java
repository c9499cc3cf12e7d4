package io.cqrsbooks.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A request that cannot be served, with the status and the words a client needs. Every error status of
 * both services is chosen here, by the factory named for the situation (the constructor is private).
 * A handler throws it (synchronous checks) or fails the routing context with it (asynchronous results);
 * either way {@link JsonErrors} turns it into the response.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final List<FieldError> details;

  private ApiException(int status, String message, List<FieldError> details) {
    super(message, null, false, false);
    this.status = status;
    this.details = List.copyOf(details);
  }

  /** 400: every bad field, named. */
  public static ApiException invalid(List<FieldError> details) {
    return new ApiException(400, "invalid request", details);
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** 401, with {@code WWW-Authenticate} added by {@link JsonErrors}. */
  public static ApiException unauthenticated() {
    return new ApiException(401, "authentication required",
        List.of(new FieldError("Authorization", "must be 'Bearer <token>' with a valid, unexpired command token")));
  }

  /** 403: a valid token without the scope the request needs ({@code books:write} for commands, {@code books:admin} for admin). */
  public static ApiException notPermitted() {
    return new ApiException(403, "forbidden", List.of(new FieldError("Authorization",
        "the token does not carry the scope this request needs")));
  }

  /** 403: a browser page from an origin the command side does not serve. */
  public static ApiException foreignOrigin() {
    return new ApiException(403, "forbidden", List.of(new FieldError("Origin", "is not an allowed origin")));
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message, List.of());
  }

  public static ApiException noSuchResource() {
    return notFound("no such resource");
  }

  public static ApiException methodNotAllowed() {
    return new ApiException(405, "method not allowed", List.of());
  }

  /** 408: the body did not arrive within the request deadline. */
  public static ApiException bodyTooSlow(long millis) {
    return new ApiException(408, "request timeout", List.of(new FieldError("body", "did not arrive within " + millis + " ms")));
  }

  /** 412: {@code If-Match} named another version than the stored one. */
  public static ApiException versionChanged(String header, long expected, long actual) {
    return new ApiException(412, "the book has changed since you read it", List.of(new FieldError(header,
        "expected version " + expected + " but the book is at version " + actual)));
  }

  /** 409: the request clashes with work in progress or with the state of what it names. */
  public static ApiException conflict(String message) {
    return new ApiException(409, message, List.of());
  }

  /** 409: a value that must be unique (e.g. a book's ISBN) is another's already; nothing was written. */
  public static ApiException taken(String field, String message) {
    return new ApiException(409, "conflict", List.of(new FieldError(field, message)));
  }

  /** 422: understood, but what it names cannot be processed as it is (e.g. a dead letter that still fails). */
  public static ApiException unprocessable(String message, String field, String reason) {
    return new ApiException(422, message, List.of(new FieldError(field, reason)));
  }

  public static ApiException bodyTooLarge() {
    return new ApiException(413, "request body too large", List.of(new FieldError("body", "at most 64 KiB")));
  }

  public static ApiException unsupportedMediaType() {
    return new ApiException(415, "unsupported media type", List.of(new FieldError("Content-Type", "must be application/json")));
  }

  /** Any other client error the web framework reports, in its own words. */
  public static ApiException clientError(int status, String reason) {
    return new ApiException(status, reason, List.of());
  }

  public static ApiException internal() {
    return new ApiException(500, "internal error", List.of());
  }

  /** 503: a store is away or not caught up; nothing was written, the client may retry. */
  public static ApiException unavailable(String message) {
    return new ApiException(503, message, List.of());
  }

  /**
   * 503: the database connection was lost while committing, so whether the command took effect is unknown;
   * the client reads the book (or retries with {@code If-Match}) rather than assuming either way.
   */
  public static ApiException outcomeUnknown() {
    return new ApiException(503, OUTCOME_UNKNOWN, List.of());
  }

  /** The words of {@link #outcomeUnknown()}, for clients that tell it from "nothing was written". */
  public static final String OUTCOME_UNKNOWN =
      "the database connection was lost while committing: the command may have been applied; read before retrying";

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
