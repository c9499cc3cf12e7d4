package io.cqrsbooks.http;

import io.vertx.ext.web.RoutingContext;

/** How both APIs name a book in a URL and its version in an ETag. */
public final class BookResources {

  private BookResources() {
  }

  /** The {@code :bid} path parameter, or a 400 naming it. */
  public static long bid(RoutingContext ctx) {
    try {
      long bid = Long.parseLong(ctx.pathParam("bid"));
      if (bid > 0) {
        return bid;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.invalid("bid", "must be a positive integer");
  }

  /** The ETag of a book at a version: the version, quoted. */
  public static String etag(long version) {
    return "\"" + version + "\"";
  }
}
