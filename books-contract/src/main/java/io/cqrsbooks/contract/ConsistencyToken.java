package io.cqrsbooks.contract;

import java.util.Optional;

/**
 * Handed out with every command response: the read model has applied that command once it holds
 * the book at {@code version} or later (a removal counts as a version too).
 * On the wire it is {@code "<bid>.<version>"}, opaque to clients.
 */
public record ConsistencyToken(long bid, long version) {

  public static final String HEADER = "X-Consistency-Token";

  public String encode() {
    return bid + "." + version;
  }

  public static Optional<ConsistencyToken> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int dot = text.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    try {
      long bid = Long.parseLong(text.substring(0, dot));
      long version = Long.parseLong(text.substring(dot + 1));
      return bid > 0 && version > 0 ? Optional.of(new ConsistencyToken(bid, version)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public boolean isSatisfiedBy(long appliedVersion) {
    return appliedVersion >= version;
  }
}
