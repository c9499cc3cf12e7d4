package io.cqrsbooks.launcher;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.ConfigException;
import io.cqrsbooks.config.MySqlSettings;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar cqrs-books.jar [command|query|all] [--conf file.json]}: runs the chosen roles
 * (all by default) with the configuration from conf/, the file and the environment.
 * {@code java -jar cqrs-books.jar token [--admin] [--conf file.json]} prints a command (or admin) token;
 * {@code java -jar cqrs-books.jar admin ...} drives the query side's admin API ({@link AdminCli#USAGE});
 * {@code java -jar cqrs-books.jar servers [--conf file.json]} runs only the embedded servers.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      printToken(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("admin")) {
      System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      return;
    }
    if (args.length > 0 && args[0].equals("servers")) {
      runServers(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    long started = System.nanoTime();
    AppSettings settings;
    try {
      settings = configure(args);
    } catch (ConfigException e) {
      System.err.println("cqrs-books: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.apply(settings.logging());
    CqrsBooks app;
    try {
      app = CqrsBooks.start(settings);
    } catch (ConfigException e) {
      System.err.println("cqrs-books: " + e.getMessage());
      System.exit(2);
      return;
    } catch (IllegalStateException e) {
      System.err.println("cqrs-books: could not start: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      System.err.println("cqrs-books: could not start: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      say(settings, "cqrs-books: stopping");
      app.close();
      say(settings, "cqrs-books: stopped");
    }, "cqrs-books-shutdown"));
    printBanner(app, (System.nanoTime() - started) / 1_000_000);
  }

  static AppSettings configure(String[] args) {
    Path file = null;
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conf" -> {
          if (i + 1 >= args.length) {
            throw new ConfigException("--conf needs a file name");
          }
          file = Path.of(args[++i]);
        }
        case "command", "query" -> roles.add(args[i]);
        case "all" -> roles.addAll(List.of("command", "query"));
        default -> throw new ConfigException("unknown argument '" + args[i]
            + "'; usage: java -jar cqrs-books.jar [command|query|all|servers|token|admin] [--conf file.json]");
      }
    }
    Map<String, String> environment = new HashMap<>(System.getenv());
    if (!roles.isEmpty()) {
      environment.put(Config.environmentName("roles"), String.join(",", roles));
    }
    return AppConfig.load(file, environment);
  }

  /** {@code servers [--conf file]}: the embedded servers alone, until Ctrl-C or SIGTERM. */
  private static void runServers(String[] args) {
    try {
      AppSettings settings = configure(args);
      Logging.apply(settings.logging());
      ServersOnly.run(settings);
    } catch (ConfigException e) {
      System.err.println("cqrs-books: configuration error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("cqrs-books: the servers could not start: " + e);
      System.exit(1);
    }
  }

  /**
   * {@code token [--admin] [--conf file]}: prints a token signed with the configured (or local) key, with the
   * {@code books:write} scope, or {@code books:admin} with {@code --admin}.
   */
  private static void printToken(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    String scope = rest.remove("--admin") ? BearerTokens.ADMIN : BearerTokens.WRITE;
    Vertx vertx = Vertx.vertx();
    try {
      AuthSettings auth = LocalSecret.resolve(configure(rest.toArray(String[]::new))).command().auth();
      if (!auth.hasSecret()) {
        throw new ConfigException(Config.environmentName("auth.jwtSecret") + " (auth.jwtSecret) must be set to mint tokens");
      }
      System.out.println(BearerTokens.create(vertx, auth).mint("operator", scope));
    } catch (ConfigException e) {
      System.err.println("cqrs-books: configuration error: " + e.getMessage());
      System.exit(2);
    } finally {
      vertx.close();
    }
  }

  private static void printBanner(CqrsBooks app, long millis) {
    AppSettings settings = app.settings();
    StringBuilder out = new StringBuilder("\ncqrs-books is up (" + millis + " ms)\n");
    if (settings.runs("query")) {
      out.append("  web UI and queries  http://localhost:").append(settings.query().httpPort()).append("/\n");
    }
    if (settings.runs("command")) {
      out.append("  commands            http://localhost:").append(settings.command().httpPort()).append("/api/books\n");
    }
    app.localCommandToken().ifPresent(token -> out.append("  command token       ").append(token).append('\n')
        .append("                      (the web UI on this machine gets it by itself; `./run.sh token` makes more)\n"));
    MySqlSettings mysql = settings.command().mysql();
    out.append(settings.embedded() ? "  embedded servers\n" : "  external servers\n")
        .append("    MySQL/MariaDB     ").append(mysql.host()).append(':').append(mysql.port()).append('/')
        .append(mysql.database())
        .append(settings.embedded() ? " (data in " + settings.dataDir().toAbsolutePath() + ")" : "").append('\n')
        .append("    Kafka             ").append(settings.command().kafka().bootstrapServers())
        .append(" topic ").append(settings.command().kafka().topic()).append('\n')
        .append("    MongoDB           ").append(settings.query().mongo().connectionString()).append('\n')
        .append("Press Ctrl-C to stop.\n");
    say(settings, out.toString());
  }

  /** To the terminal; with JSON-lines logging, as a log line, so every line of the output is JSON. */
  private static void say(AppSettings settings, String text) {
    if (settings.logging().json()) {
      LoggerFactory.getLogger(Main.class).info(text.strip());
    } else {
      System.out.println(text);
    }
  }
}
