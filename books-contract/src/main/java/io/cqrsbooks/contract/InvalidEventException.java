package io.cqrsbooks.contract;

/** A message on the events topic that is not a valid book event; the reason says why. */
public final class InvalidEventException extends Exception {

  public InvalidEventException(String reason) {
    super(reason);
  }

  public InvalidEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
