package io.netring;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exported package has a description, and every public and protected member of those
 * packages says what it is. javac runs
 * doclint's {@code missing} check over the module's sources (and the lint for constructors a
 * class gets without declaring one); a member with no comment at all fails the test, with its
 * file and line. The {@code @param}, {@code @return} and {@code @throws} tags that check also
 * asks for are not required where the sentence already says it (see the javadoc plugin's
 * configuration in pom.xml), so those diagnostics are left out.
 */
class JavadocCoverageTest {
    private static final Path SOURCES = Path.of("src/main/java");
    /** doclint's messages for a member without a comment, and javac's for an implicit constructor. */
    private static final List<String> GAPS = List.of("no comment", "no main description",
            "declares no explicit constructors");

    @Test
    void everyExportedMemberIsDescribed() throws IOException {
        List<String> exported = exportedPackages();
        assertFalse(exported.isEmpty(), "module-info.java exports nothing?");
        List<String> gaps = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : doclint(exported)) {
            String message = d.getMessage(Locale.ROOT);
            if (GAPS.stream().anyMatch(message::contains)) {
                String file = d.getSource() == null ? "?" : SOURCES.toAbsolutePath().relativize(Path.of(d.getSource().toUri())).toString();
                gaps.add(file + ":" + d.getLineNumber() + ": " + message);
            }
        }
        assertEquals(List.of(), gaps, gaps.size() + " public or protected members of exported packages have no javadoc");
    }

    @Test
    void everyExportedPackageIsDescribed() throws IOException {
        for (String pkg : exportedPackages()) {
            Path info = SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java");
            assertTrue(Files.exists(info) && Files.readString(info).contains("/**"),
                    pkg + ": no package-info.java with a description of the package");
        }
    }

    private static List<String> exportedPackages() throws IOException {
        return Files.readAllLines(SOURCES.resolve("module-info.java")).stream()
                .map(String::strip)
                .filter(l -> l.startsWith("exports ") && !l.contains(" to "))   // qualified: not public API
                .map(l -> l.substring("exports ".length()).replace(";", "").strip())
                .toList();
    }

    private static List<Diagnostic<? extends JavaFileObject>> doclint(List<String> packages) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("netring-doclint");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
             Stream<Path> walk = Files.walk(SOURCES)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            List<String> options = List.of("-proc:none", "-implicit:none", "-d", out.toString(),
                    "-Xlint:missing-explicit-ctor", "-Xdoclint:missing/protected",
                    "-Xdoclint/package:" + String.join(",", packages), "-Xmaxwarns", "100000");
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        } finally {
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return diagnostics.getDiagnostics();
    }
}
