package io.cqrsbooks.command;

import io.cqrsbooks.http.ApiException;

import java.util.OptionalLong;

/** Reads {@code If-Match}: a bare version ({@code 3}), an ETag ({@code "3"}, {@code W/"3"}) or {@code *}. */
final class Preconditions {

  static final String IF_MATCH = "If-Match";

  private Preconditions() {
  }

  /** The version the client expects, or empty when any version will do. */
  static OptionalLong expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return OptionalLong.empty();
    }
    String value = ifMatch.strip();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      long version = Long.parseLong(value);
      if (version > 0) {
        return OptionalLong.of(version);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.invalid(IF_MATCH, "must be a book version such as 3 or \"3\"");
  }
}
