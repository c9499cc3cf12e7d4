package io.cqrsbooks.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Who may do what: bearers of a JSON Web Token signed (HS256) with the configured secret, issued by our
 * issuer, not expired, carrying the scope a route asks for: {@value #WRITE} to change the catalogue,
 * {@value #ADMIN} to rebuild the read model and handle dead letters. Queries need no token.
 */
public final class BearerTokens {

  public static final String WRITE = "books:write";
  public static final String ADMIN = "books:admin";
  public static final int MIN_SECRET_LENGTH = 32;
  private static final String ALGORITHM = "HS256";

  private final JWTAuth provider;
  private final AuthSettings settings;

  private BearerTokens(JWTAuth provider, AuthSettings settings) {
    this.provider = provider;
    this.settings = settings;
  }

  public static BearerTokens create(Vertx vertx, AuthSettings settings) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(settings.jwtSecret()))
        .setJWTOptions(new JWTOptions().setIssuer(settings.issuer()));
    return new BearerTokens(JWTAuth.create(vertx, options), settings);
  }

  /** A token for {@code subject} with one scope, valid for the configured time. */
  public String mint(String subject, String scope) {
    return provider.generateToken(new JsonObject().put("scope", scope), new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(settings.issuer())
        .setSubject(subject)
        .setExpiresInSeconds((int) settings.tokenTtl().toSeconds()));
  }

  /** Checks the bearer token of a request: 401 without a valid one, 403 without {@code scope}. */
  public AuthenticationHandler requiring(String scope) {
    return JWTAuthHandler.create(provider).withScope(scope);
  }

  /** A fresh random secret, for the embedded launch that has none configured. */
  public static String newSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
