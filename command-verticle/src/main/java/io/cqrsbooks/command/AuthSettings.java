package io.cqrsbooks.command;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The key material and claims of command tokens (the {@code auth} section, already checked by the launcher). */
public record AuthSettings(String jwtSecret, String issuer, Duration tokenTtl) {

  public static AuthSettings fromJson(JsonObject config) {
    JsonObject auth = config.getJsonObject("auth");
    return new AuthSettings(auth.getString("jwtSecret"), auth.getString("issuer"),
        Duration.ofMinutes(auth.getInteger("tokenTtlMinutes")));
  }
}
