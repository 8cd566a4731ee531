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
 * The layering of docs/ARCHITECTURE.md, checked on the sources: the backend ({@code afpacket},
 * {@code internal.linux}) uses no public type but the exceptions it throws, and builds those in
 * one factory; only {@code internal.linux} touches {@code Syscalls}; the module exports one
 * package per public concern and keeps the backend unexported.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PACKAGES = SOURCES.resolve("io/netring");
    private static final String ERRORS_FACTORY = "internal/linux/LinuxErrors.java";
    /** A reference to a type of a public package: io.netring.X, io.netring.filter.X, ... */
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "\\bio\\.netring\\.(?:(?:filter|decode|pcap|flow|adapter)\\.)?([A-Z]\\w*)");
    private static final Pattern NEW_NETRING_EXCEPTION = Pattern.compile(
            "new\\s+(NetringException|InterfaceNotFoundException|PermissionDeniedException|EbpfVerifierException)\\s*\\(");

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
        for (Path file : backendSources()) {
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
                .map(LayeringTest::relative)
                .toList();
        assertEquals(List.of(), offences, "outside internal.linux, go through its typed wrappers");
    }

    @Test
    void theModuleExportsOnePackagePerConcernAndNotTheBackend() {
        assertEquals(new TreeSet<>(Set.of("io.netring", "io.netring.filter", "io.netring.decode", "io.netring.pcap",
                "io.netring.flow", "io.netring.adapter")), exportedPackages());
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
