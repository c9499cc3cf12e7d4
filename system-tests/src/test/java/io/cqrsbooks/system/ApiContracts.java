package io.cqrsbooks.system;

import io.cqrsbooks.command.CommandApiVerticle;
import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiDocument;
import io.cqrsbooks.query.api.QueryApiVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cqrsbooks.system.Waits.await;

/**
 * The two sides' OpenAPI documents, as served at {@code /openapi.json}, and a check that an answer fits
 * what the document says of its operation. {@link TestSystem} and {@link Cluster} check every answer the
 * system tests receive, successes and errors alike.
 */
final class ApiContracts {

  enum Side { COMMAND, QUERY }

  private final Map<Side, OpenAPIContract> contracts = new HashMap<>();
  private final Map<Side, ResponseValidator> validators = new HashMap<>();

  ApiContracts(Vertx vertx) {
    contracts.put(Side.COMMAND, await(OpenAPIContract.from(vertx, ApiDocument.load(CommandApiVerticle.API_DOCUMENT))));
    contracts.put(Side.QUERY, await(OpenAPIContract.from(vertx, withoutEventStreams(ApiDocument.load(QueryApiVerticle.API_DOCUMENT)))));
    contracts.forEach((side, contract) -> validators.put(side, ResponseValidator.create(vertx, contract)));
  }

  /**
   * vertx-openapi refuses a contract with a {@code text/event-stream} response; the stream is read by
   * {@link SseClient}, never checked here, so for the validator it is plain text.
   */
  private static JsonObject withoutEventStreams(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          JsonObject content = responses.getJsonObject(status).getJsonObject("content");
          if (content != null && content.containsKey("text/event-stream")) {
            content.put("text/plain", content.remove("text/event-stream"));
          }
        }
      }
    }
    return copy;
  }

  /** Fails when the answer to a documented operation does not fit the document; other paths (the UI, 404s) pass. */
  void check(Side side, HttpMethod method, String uri, HttpResponse<Buffer> response) {
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    Operation operation = contracts.get(side).findOperation(path, method);
    if (operation == null) {
      return;
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().names().forEach(name -> headers.put(name, response.headers().get(name)));
    // vertx-openapi reads a header value as JSON where it parses: the token 12.3 would be checked as a
    // number against the document's string. Its format is asserted where it is used (CommandApiTest).
    headers.keySet().removeIf(name -> name.equalsIgnoreCase(ConsistencyToken.HEADER));
    Buffer body = response.body();
    String contentType = response.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith("text/plain")) {
      contentType = "text/plain"; // Prometheus adds "version=0.0.4", a parameter vertx-openapi does not parse
    }
    ValidatableResponse answer = body == null || body.length() == 0
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, body, contentType);
    try {
      validators.get(side).validate(answer, operation.getOperationId()).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the " + side.name().toLowerCase() + " side's answer to " + method + " " + uri + " ("
          + response.statusCode() + ") does not fit its OpenAPI document (operation " + operation.getOperationId()
          + "): " + e.getMessage() + "\nbody: " + response.bodyAsString(), e);
    }
  }
}
