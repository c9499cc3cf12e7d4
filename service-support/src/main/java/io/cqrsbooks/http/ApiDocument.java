package io.cqrsbooks.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A side's OpenAPI 3.1 document, served at {@code GET /openapi.json}: the side's own paths, with the
 * components both sides share (the book, the error shape, health and metrics answers) merged in from
 * {@code io/cqrsbooks/http/openapi-shared.json}, so each is written once and the served document stands alone.
 */
public final class ApiDocument {

  public static final String PATH = "/openapi.json";
  private static final String SHARED = "io/cqrsbooks/http/openapi-shared.json";

  private ApiDocument() {
  }

  /** The document for the side whose own part is the classpath resource {@code sideResource}. */
  public static JsonObject load(String sideResource) {
    JsonObject document = read(sideResource);
    JsonObject components = document.getJsonObject("components", new JsonObject());
    read(SHARED).forEach(section -> {
      JsonObject merged = components.getJsonObject(section.getKey(), new JsonObject());
      merged.mergeIn((JsonObject) section.getValue());
      components.put(section.getKey(), merged);
    });
    return document.put("components", components);
  }

  /** Adds {@code GET /openapi.json}, answering {@code document}. */
  public static void serve(Router router, JsonObject document) {
    String body = document.encode();
    router.get(PATH).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache")
        .end(body));
  }

  /**
   * Where the router and the document disagree: a route with a path and methods that the document does
   * not describe, or an operation of the document that no route serves. {@code notOperations} are route
   * paths that are no API operation (catch-alls such as the UI's static files).
   */
  public static List<String> mismatches(Router router, JsonObject document, Set<String> notOperations) {
    Set<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()
          || notOperations.contains(route.getPath())) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(method -> served.add(method.name().toLowerCase() + " " + path));
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    paths.fieldNames().forEach(path -> paths.getJsonObject(path).fieldNames()
        .forEach(method -> documented.add(method + " " + path)));
    List<String> mismatches = new ArrayList<>();
    served.stream().filter(operation -> !documented.contains(operation))
        .forEach(operation -> mismatches.add("served but not documented: " + operation));
    documented.stream().filter(operation -> !served.contains(operation))
        .forEach(operation -> mismatches.add("documented but not served: " + operation));
    return mismatches;
  }

  private static JsonObject read(String resource) {
    try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
