package io.cqrsbooks.launcher;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code admin rebuild | admin dead-letters list|show|retry|discard ...}: the query side's admin API from a
 * terminal, with a {@code books:admin} token minted from the configured (or embedded) key. A plain
 * blocking client: this runs on the main thread of a short-lived process, never on an event loop.
 */
final class AdminCli {

  static final String USAGE = """
      usage: ./run.sh admin [--url http://host:port] [--conf file.json] COMMAND
        rebuild                          rebuild the read model without downtime, showing progress until it switches
        dead-letters list [OFFSET [LIMIT]]  dead letters, newest first
        dead-letters show ID             one letter, whole
        dead-letters retry ID            apply it again (after a fix); removed once applied
        dead-letters retry --all         retry every letter
        dead-letters discard ID          remove it for good""";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;
  private final PrintStream out;

  private AdminCli(String baseUrl, String token, PrintStream out) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.out = out;
  }

  /** Runs one admin command; the process's exit status: 0 done, 1 refused or failed, 2 bad usage. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String url = null;
    List<String> configArgs = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--url") && i + 1 < args.length) {
        url = args[++i];
      } else if (args[i].equals("--conf") && i + 1 < args.length) {
        configArgs.add(args[i]);
        configArgs.add(args[++i]);
      } else {
        words.add(args[i]);
      }
    }
    AppSettings settings;
    try {
      settings = LocalSecret.resolve(Main.configure(configArgs.toArray(String[]::new)));
    } catch (ConfigException e) {
      err.println("cqrs-books: configuration error: " + e.getMessage());
      return 2;
    }
    AuthSettings auth = settings.query().auth();
    if (!auth.hasSecret()) {
      err.println("cqrs-books: CQRS_AUTH_JWT_SECRET (auth.jwtSecret) must be set to mint an admin token");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    String token;
    try {
      token = BearerTokens.create(vertx, auth).mint("admin-cli", BearerTokens.ADMIN);
    } finally {
      vertx.close();
    }
    String base = url != null ? url : "http://localhost:" + settings.query().httpPort();
    AdminCli cli = new AdminCli(base.replaceAll("/+$", ""), token, out);
    try {
      return cli.dispatch(words, err);
    } catch (IOException e) {
      err.println("cqrs-books: the query side at " + base + " cannot be reached (" + e + "); is it running? (--url)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int dispatch(List<String> words, PrintStream err) throws IOException, InterruptedException {
    String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
    if (words.equals(List.of("rebuild"))) {
      return rebuild(err);
    }
    if (command.equals("dead-letters list") && words.size() <= 4) {
      String offset = words.size() > 2 ? words.get(2) : "0";
      String limit = words.size() > 3 ? words.get(3) : "20";
      return list(send("GET", "/api/admin/dead-letters?offset=" + offset + "&limit=" + limit), err);
    }
    if (words.size() == 3 && command.equals("dead-letters show")) {
      return print(send("GET", "/api/admin/dead-letters/" + words.get(2)), err);
    }
    if (words.size() == 3 && command.equals("dead-letters retry")) {
      return print(words.get(2).equals("--all")
          ? send("POST", "/api/admin/dead-letters/retry")
          : send("POST", "/api/admin/dead-letters/" + words.get(2) + "/retry"), err);
    }
    if (words.size() == 3 && command.equals("dead-letters discard")) {
      HttpResponse<String> response = send("DELETE", "/api/admin/dead-letters/" + words.get(2));
      if (response.statusCode() == 204) {
        out.println("discarded " + words.get(2));
        return 0;
      }
      return print(response, err);
    }
    err.println(USAGE);
    return 2;
  }

  /** Starts the rebuild, then shows its progress from /status until queries read the new generation. */
  private int rebuild(PrintStream err) throws IOException, InterruptedException {
    HttpResponse<String> started = send("POST", "/api/admin/rebuild");
    if (started.statusCode() != 202) {
      return print(started, err);
    }
    JsonObject claimed = new JsonObject(started.body());
    int target = claimed.getInteger("generation");
    out.println("rebuilding the read model into generation " + target + " (queries keep reading the current one)");
    while (true) {
      Thread.sleep(PROGRESS_EVERY.toMillis());
      JsonObject status = new JsonObject(send("GET", "/status").body());
      JsonObject rebuild = status.getJsonObject("lastRebuild");
      if (rebuild == null || rebuild.getInteger("generation", -1) != target) {
        continue;
      }
      switch (rebuild.getString("state")) {
        case "switched" -> {
          out.println("done: " + rebuild.getLong("copied") + " books copied; queries read generation " + target);
          return 0;
        }
        case "failed" -> {
          err.println("the rebuild failed; the current generation keeps serving: " + rebuild.getString("error"));
          return 1;
        }
        default -> out.println("  copying: " + status.getLong("bootstrapCopied") + " books ("
            + status.getLong("bootstrapBooksPerSecond") + "/s)");
      }
    }
  }

  private int list(HttpResponse<String> response, PrintStream err) {
    if (response.statusCode() != 200) {
      return print(response, err);
    }
    JsonObject page = new JsonObject(response.body());
    JsonArray items = page.getJsonArray("items");
    out.println(page.getLong("total") + " dead letter(s); showing " + items.size() + " from " + page.getInteger("offset"));
    for (Object item : items) {
      JsonObject letter = (JsonObject) item;
      out.println(letter.getString("id") + "  " + letter.getString("at") + "  " + letter.getString("reason"));
    }
    return 0;
  }

  private int print(HttpResponse<String> response, PrintStream err) {
    boolean ok = response.statusCode() / 100 == 2;
    String body = response.body();
    try {
      body = new JsonObject(body).encodePrettily();
    } catch (DecodeException | ClassCastException notJson) {
      // printed as it came
    }
    (ok ? out : err).println(ok ? body : "HTTP " + response.statusCode() + ": " + body);
    return ok ? 0 : 1;
  }

  private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
