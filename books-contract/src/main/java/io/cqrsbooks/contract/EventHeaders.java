package io.cqrsbooks.contract;

/** Kafka record headers that travel beside an event's JSON value. */
public final class EventHeaders {

  /** The {@code X-Request-Id} of the command that wrote the event, when there was one: for following its journey in logs. */
  public static final String REQUEST_ID = "request-id";

  private EventHeaders() {
  }
}
