package io.cqrsbooks.launcher;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded launch's token-signing key when none is configured: made once, kept in the data folder
 * (readable by its owner only), so tokens stay valid across restarts and {@code token} can mint more.
 */
final class LocalSecret {

  static final String FILE = "command-token.secret";

  private LocalSecret() {
  }

  static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Files.createDirectories(dataDir);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      String secret = BearerTokens.newSecret();
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new ConfigException("the command token key " + file + " cannot be read or written: " + e.getMessage());
    }
  }

  /** The settings with the configured key, or in the embedded launch the local one. */
  static AppSettings resolve(AppSettings settings) {
    AuthSettings auth = settings.command().auth();
    if (auth.hasSecret() || !settings.embedded()) {
      return settings;
    }
    return settings.withAuth(auth.withSecret(loadOrCreate(settings.dataDir())));
  }
}
