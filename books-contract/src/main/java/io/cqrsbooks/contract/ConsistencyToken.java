package io.cqrsbooks.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Handed out with every command response: the read model has applied that command once it holds
 * the book at {@code version} or later (a removal counts as a version too).
 * On the wire it is {@code "<bid>.<version>"}, opaque to clients. A query may carry several, separated
 * by commas (one header or several), to read after all of those commands: each book travels its own
 * Kafka partition, so one command's token says nothing about another book's.
 */
public record ConsistencyToken(long bid, long version) {

  public static final String HEADER = "X-Consistency-Token";

  /** The most tokens one query may wait for. */
  public static final int MAX_PER_QUERY = 64;

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

  /**
   * The tokens in header values such as {@code "7.1, 8.3"}; empty when any part is not a token, when
   * there are none, or more than {@link #MAX_PER_QUERY}.
   */
  public static Optional<List<ConsistencyToken>> parseAll(List<String> headerValues) {
    List<ConsistencyToken> tokens = new ArrayList<>();
    for (String value : headerValues) {
      for (String part : value.split(",", -1)) {
        Optional<ConsistencyToken> token = parse(part.strip());
        if (token.isEmpty() || tokens.size() == MAX_PER_QUERY) {
          return Optional.empty();
        }
        tokens.add(token.get());
      }
    }
    return tokens.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(tokens));
  }

  public boolean isSatisfiedBy(long appliedVersion) {
    return appliedVersion >= version;
  }
}
