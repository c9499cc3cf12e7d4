package io.cqrsbooks.query.readmodel;

import java.util.Map;

/**
 * MongoDB refused some books' writes for good (a unique index, a validator, a size limit: not an outage),
 * and what it holds of them is older than the write: those books' events cannot be applied as they are.
 * Every other write of the batch was applied.
 */
public final class WriteRefusedException extends RuntimeException {

  private final Map<Long, String> reasons;

  WriteRefusedException(Map<Long, String> reasons) {
    super("MongoDB refused the writes of book(s) " + reasons.keySet() + ", e.g. "
        + reasons.values().iterator().next());
    this.reasons = Map.copyOf(reasons);
  }

  /** {bid: why MongoDB refused it}. */
  public Map<Long, String> reasons() {
    return reasons;
  }
}
