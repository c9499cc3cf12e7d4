package io.cqrsbooks.contract;

import java.util.Optional;

/**
 * ISBN-13: 13 digits, starting 978 or 979, the last a check digit (weights 1, 3, 1, 3, ...: the weighted sum
 * is a multiple of 10). Written with or without hyphens and spaces; kept as the 13 digits alone.
 */
public final class Isbn {

  private Isbn() {
  }

  /** The 13 digits of a well-formed ISBN-13, or why it is not one. */
  public static Result normalize(String text) {
    String digits = text.replace("-", "").replace(" ", "");
    if (!digits.matches("[0-9]{13}")) {
      return new Result(null, "must be an ISBN-13: 13 digits, hyphens and spaces allowed");
    }
    if (!digits.startsWith("978") && !digits.startsWith("979")) {
      return new Result(null, "must start with 978 or 979");
    }
    int sum = 0;
    for (int i = 0; i < 13; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    if (sum % 10 != 0) {
      return new Result(null, "has a wrong check digit");
    }
    return new Result(digits, null);
  }

  /** Either the normalised digits or the reason the text is not an ISBN-13. */
  public record Result(String digits, String problem) {

    public Optional<String> value() {
      return Optional.ofNullable(digits);
    }
  }
}
