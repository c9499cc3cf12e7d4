package io.cqrsbooks.query.api;

/**
 * A list's total as the API answers it: exact when the projection keeps it (unfiltered, or by category
 * alone), else counted no further than a cap, and then {@code capped} when more match.
 */
record ListTotal(long count, boolean capped) {

  static ListTotal kept(long count) {
    return new ListTotal(count, false);
  }

  /** @param counted a count that was told to stop one past {@code cap} */
  static ListTotal counted(long counted, long cap) {
    return counted > cap ? new ListTotal(cap, true) : new ListTotal(counted, false);
  }
}
