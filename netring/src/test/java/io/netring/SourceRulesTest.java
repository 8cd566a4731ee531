package io.netring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rules for the comments and tests of the whole tree (every module, the scripts): class docs
 * short enough to read, no references to files that are not there, one rule that marks kernel
 * tests ({@code @Privileged}, which tags them {@code kernel}).
 */
class SourceRulesTest {
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
