package io.netring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rules checked on the sources. The layering of docs/ARCHITECTURE.md: the backend
 * ({@code afpacket}, {@code internal.linux}) uses no public type but the exceptions it throws and
 * builds those in one factory, only {@code internal.linux} touches {@code Syscalls}, the module
 * exports one package per public concern. And over the whole tree (every module, the scripts):
 * class docs short enough to read, no references to files that are not there, one rule that
 * marks kernel tests ({@code @Privileged}, which tags them {@code kernel}).
 */
class SourceRulesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PACKAGES = SOURCES.resolve("io/netring");
    private static final String ERRORS_FACTORY = "internal/linux/LinuxErrors.java";
    /** A reference to a type of a public package: io.netring.X, io.netring.filter.X, ... */
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "\\bio\\.netring\\.(?:(?:filter|decode|pcap|flow|adapter)\\.)?([A-Z]\\w*)");
    private static final Pattern NEW_NETRING_EXCEPTION = Pattern.compile(
            "new\\s+(NetringException|InterfaceNotFoundException|PermissionDeniedException|EbpfVerifierException)\\s*\\(");
    private static final Path ROOT = Path.of("..");
    /** Spelled in two parts so this file does not match its own rules. */
    private static final String WORD = "se" + "ed";
    private static final String MISSING_FILE = "DESIGN" + ".md";
    private static final int CLASS_DOC_LINES = 10;
    private static final Pattern TYPE = Pattern.compile(
            "^\\s*(public |protected |private )?(static )?((final|abstract|sealed|non-sealed) )*(class|interface|enum|record|@interface) \\w+.*");
    /** What a test does that needs the kernel: a namespace, a frame sender, a socket on lo. */
    private static final Pattern KERNEL_USE = Pattern.compile(
            "NetNamespace|extends NamespaceTest|new FrameSender|FrameSender\\.open\\(|Capture\\.open\\(|EbpfProgram\\.load\\(");

    @Test
    void classDocsAreAboutTenLinesOfProse() {
        List<String> offences = new ArrayList<>();
        for (Path file : javaSources()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (TYPE.matcher(lines.get(i)).matches()) {
                    int prose = proseLinesOfDocAbove(lines, i);
                    if (prose > CLASS_DOC_LINES) {
                        offences.add(ROOT.relativize(file) + ":" + (i + 1) + " " + prose + " lines");
                    }
                }
            }
        }
        assertEquals(List.of(), offences, "class docs hold the why in about ten lines (examples in <pre> and @param"
                + " tags not counted); the long story goes to docs/ARCHITECTURE.md");
    }

    @Test
    void noReferenceToMissingFilesNorTheOldProjectName() {
        List<String> offences = new ArrayList<>();
        List<Path> files = new ArrayList<>(javaSources());
        files.addAll(scripts());
        for (Path file : files) {
            String text = read(file);
            if (Pattern.compile("(?i)\\b" + WORD).matcher(text).find()) {
                offences.add(ROOT.relativize(file) + ": the word " + WORD);
            }
            if (text.contains(MISSING_FILE) && !Files.exists(ROOT.resolve(MISSING_FILE))) {
                offences.add(ROOT.relativize(file) + ": " + MISSING_FILE + ", which does not exist");
            }
        }
        assertEquals(List.of(), offences);
    }

    @Test
    void everyKernelTestIsMarkedPrivileged() {
        List<String> offences = new ArrayList<>();
        for (Path file : javaSources()) {
            String name = file.getFileName().toString();
            if (!file.toString().contains("/src/test/") || !name.endsWith("Test.java")) {
                continue;
            }
            String text = read(file);
            if (KERNEL_USE.matcher(text).find() && !text.contains("@Privileged") && !text.contains("extends NamespaceTest")) {
                offences.add(ROOT.relativize(file).toString());
            }
        }
        assertEquals(List.of(), offences, "tests that need the kernel carry @Privileged (tag kernel)");
    }

    /** Lines of the javadoc right above line {@code type}, without example blocks and @param tags. */
    private static int proseLinesOfDocAbove(List<String> lines, int type) {
        int end = type - 1;
        while (end >= 0 && lines.get(end).strip().startsWith("@")) {
            end--;
        }
        if (end < 0 || !lines.get(end).strip().equals("*/")) {
            return 0;
        }
        int start = end;
        while (start >= 0 && !lines.get(start).strip().startsWith("/**")) {
            start--;
        }
        int prose = 0;
        boolean example = false;
        boolean params = false;
        for (int i = start; i <= end; i++) {
            String t = lines.get(i).strip().replaceFirst("^/?\\*+/?", "").strip();
            if (t.contains("<pre>")) {
                example = true;
            }
            if (example) {
                example = !t.contains("</pre>");
                continue;
            }
            params |= t.startsWith("@param");
            if (!params && !t.isEmpty()) {
                prose++;
            }
        }
        return prose;
    }

    private static List<Path> javaSources() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> scripts() {
        List<Path> scripts = new ArrayList<>();
        try (Stream<Path> bin = Files.list(ROOT.resolve("bin"))) {
            bin.filter(Files::isRegularFile).sorted().forEach(scripts::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.exists(ROOT.resolve(".ci/run"))) {
            scripts.add(ROOT.resolve(".ci/run"));
        }
        return scripts;
    }

    private static List<String> lines(Path file) {
        return List.of(read(file).split("\n", -1));
    }

    // ---- the layering of docs/ARCHITECTURE.md ----

    @Test
    void theBackendUsesNoPublicTypeButTheExceptionsItThrows() {
        List<String> offences = new ArrayList<>();
        for (Path file : backendSources()) {
            Matcher m = PUBLIC_TYPE.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).endsWith("Exception")) {
                    offences.add(relative(file) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), offences, "afpacket and internal.linux may name only the public exceptions");
    }

    @Test
    void theBackendBuildsItsExceptionsInOneFactory() {
        List<String> offences = new ArrayList<>();
        // The AF_XDP backend names the public XDP types its contract hands out, but it too builds
        // its exceptions in the factory.
        List<Path> backend = new ArrayList<>(backendSources());
        sources().stream().filter(f -> relative(f).startsWith("internal/xdp/")).forEach(backend::add);
        for (Path file : backend) {
            if (relative(file).equals(ERRORS_FACTORY)) {
                continue;
            }
            Matcher m = NEW_NETRING_EXCEPTION.matcher(read(file));
            while (m.find()) {
                offences.add(relative(file) + ": " + m.group());
            }
        }
        assertEquals(List.of(), offences, "the backend's exceptions come from " + ERRORS_FACTORY);
    }

    @Test
    void onlyTheLinuxBindingsTouchSyscalls() {
        List<String> offences = sources().stream()
                .filter(f -> !relative(f).startsWith("internal/linux/"))
                .filter(f -> Pattern.compile("\\bSyscalls\\b").matcher(read(f)).find())
                .map(SourceRulesTest::relative)
                .toList();
        assertEquals(List.of(), offences, "outside internal.linux, go through its typed wrappers");
    }

    @Test
    void theModuleExportsOnePackagePerConcernAndNotTheBackend() {
        assertEquals(new TreeSet<>(Set.of("io.netring", "io.netring.filter", "io.netring.decode", "io.netring.pcap",
                "io.netring.flow", "io.netring.adapter", "io.netring.reassembly", "io.netring.app", "io.netring.xdp")),
                exportedPackages());
    }

    /** The packages module-info.java exports (the tests run on the class path, so it is read as text). */
    static TreeSet<String> exportedPackages() {
        TreeSet<String> exports = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;").matcher(read(SOURCES.resolve("module-info.java")));
        while (m.find()) {
            exports.add(m.group(1));
        }
        return exports;
    }

    private static List<Path> backendSources() {
        return sources().stream()
                .filter(f -> relative(f).startsWith("afpacket/") || relative(f).startsWith("internal/linux/"))
                .toList();
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(PACKAGES)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertFalse(all.isEmpty(), "no sources under " + PACKAGES.toAbsolutePath());
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path file) {
        return PACKAGES.relativize(file).toString().replace('\\', '/');
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
