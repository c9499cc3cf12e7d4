package io.cqrsbooks.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection whose next request's headers have not all arrived in time: a client sending its
 * headers one byte at a time resets the idle timeout with every byte, so only a deadline cuts it off.
 * The deadline runs from connecting, or from the last answer, and allows the idle timeout (a keep-alive
 * connection may wait that long for its next request) plus the time to send the headers: counted from the
 * answer alone, it closed pooled connections that waited longer than the latter, and a client reusing one
 * just then saw its request fail ("connection was closed"; for a command, not knowing whether it was applied).
 * One per server instance, so its map is only touched from that instance's event loop.
 */
public final class HeaderDeadline {

  private final Vertx vertx;
  private final long millis;
  private final Map<HttpConnection, Long> timers = new HashMap<>();

  HeaderDeadline(Vertx vertx, long millis) {
    this.vertx = vertx;
    this.millis = millis;
  }

  public void connected(HttpConnection connection) {
    arm(connection);
    connection.closeHandler(closed -> disarm(connection));
  }

  /** The first handler of every request: its headers are in; the deadline starts again once it is answered. */
  public void requestArrived(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    disarm(connection);
    ctx.addEndHandler(answered -> arm(connection));
    ctx.next();
  }

  private void arm(HttpConnection connection) {
    disarm(connection);
    timers.put(connection, vertx.setTimer(millis, expired -> {
      timers.remove(connection);
      connection.close();
    }));
  }

  private void disarm(HttpConnection connection) {
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
