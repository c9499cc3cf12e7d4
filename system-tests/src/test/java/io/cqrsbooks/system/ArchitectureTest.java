package io.cqrsbooks.system;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules that held only by discipline, over the production classes of every module. */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cqrsbooks");
    assertTrue(production.containPackage("io.cqrsbooks.query.readmodel") && production.containPackage("io.cqrsbooks.command"),
        "the modules' classes were imported");
  }

  @Test
  void theCommandSideNeverUsesTheQuerySide() {
    noClasses().that().resideInAPackage("io.cqrsbooks.command..")
        .should().dependOnClassesThat().resideInAPackage("io.cqrsbooks.query..")
        .check(production);
  }

  @Test
  void theQuerySideNeverUsesTheCommandSide() {
    noClasses().that().resideInAPackage("io.cqrsbooks.query..")
        .should().dependOnClassesThat().resideInAPackage("io.cqrsbooks.command..")
        .check(production);
  }

  @Test
  void theContractNeedsNoWebSqlMongoOrKafkaClient() {
    noClasses().that().resideInAPackage("io.cqrsbooks.contract..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "io.vertx.sqlclient..",
            "io.vertx.mysqlclient..", "io.vertx.ext.mongo..", "io.vertx.kafka..", "io.cqrsbooks.http..",
            "io.cqrsbooks.config..", "io.cqrsbooks.store..")
        .check(production);
  }

  @Test
  void theReadModelNeverUsesTheApi() {
    noClasses().that().resideInAPackage("io.cqrsbooks.query.readmodel..")
        .should().dependOnClassesThat().resideInAnyPackage("io.cqrsbooks.query.api..", "io.vertx.ext.web..")
        .check(production);
  }

  @Test
  void theSharedModulesNeverUseEitherSide() {
    noClasses().that().resideInAnyPackage("io.cqrsbooks.contract..", "io.cqrsbooks.store..", "io.cqrsbooks.http..",
            "io.cqrsbooks.config..", "io.cqrsbooks.auth..", "io.cqrsbooks.metrics..", "io.cqrsbooks.embedded..")
        .should().dependOnClassesThat().resideInAnyPackage("io.cqrsbooks.command..", "io.cqrsbooks.query..",
            "io.cqrsbooks.launcher..")
        .check(production);
  }

  /** docs/architecture.md's map names every production package and class, so a newcomer finds each one there. */
  @Test
  void theMapInTheArchitectureDocNamesEveryPackageAndClass() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "architecture.md"));
    int start = doc.indexOf("## Map");
    assertTrue(start >= 0, "docs/architecture.md has a section '## Map'");
    int end = doc.indexOf("\n## ", start + 1);
    String map = doc.substring(start, end < 0 ? doc.length() : end);
    List<String> missing = new ArrayList<>();
    for (JavaClass type : production) {
      if (type.isTopLevelClass() && !type.getSimpleName().equals("package-info")) {
        if (!Pattern.compile("\\b" + type.getSimpleName() + "\\b").matcher(map).find()) {
          missing.add(type.getName());
        }
        if (!map.contains("`" + type.getPackageName() + "`")) {
          missing.add("package " + type.getPackageName());
        }
      }
    }
    assertTrue(missing.isEmpty(), "not on the map in docs/architecture.md: " + new TreeSet<>(missing));
  }
}
