package io.cqrsbooks.contract;

/** Which form book events have on the topic (its name is configuration: kafka.topic). */
public final class Topics {

  /** Raised only by a change that old readers cannot understand. */
  public static final int SCHEMA_VERSION = 1;

  private Topics() {
  }
}
