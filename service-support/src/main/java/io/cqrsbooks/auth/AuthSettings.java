package io.cqrsbooks.auth;

import io.cqrsbooks.config.Config;

import java.time.Duration;

/**
 * The key material and claims of bearer tokens (the {@code auth} section). An empty secret means "not
 * configured": the embedded launch then uses its local key ({@link #withSecret}), any other launch refuses.
 */
public record AuthSettings(String jwtSecret, String issuer, Duration tokenTtl) {

  public static AuthSettings from(Config config) {
    String secret = config.text("auth.jwtSecret");
    if (!secret.isEmpty() && secret.length() < BearerTokens.MIN_SECRET_LENGTH) {
      throw config.invalid("auth.jwtSecret", "must be at least " + BearerTokens.MIN_SECRET_LENGTH + " characters long");
    }
    return new AuthSettings(secret, config.required("auth.issuer"), config.minutes("auth.tokenTtlMinutes"));
  }

  public boolean hasSecret() {
    return !jwtSecret.isEmpty();
  }

  public AuthSettings withSecret(String secret) {
    return new AuthSettings(secret, issuer, tokenTtl);
  }
}
