package io.netring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exported API against its snapshot under version control ({@code api/public-api.txt}), so
 * every API change is a visible diff in review. One line per public or protected type and
 * member of the exported packages, sorted. After an intended change, regenerate the snapshot:
 * <pre>
 * bin/mvn -pl netring test -Dtest=PublicApiTest -Dnetring.api.update=true
 * </pre>
 */
class PublicApiTest {
    private static final Path SNAPSHOT = Path.of("api/public-api.txt");
    private static final String UPDATE = "netring.api.update";
    private static final String HOW_TO_UPDATE = "bin/mvn -pl netring test -Dtest=PublicApiTest -D" + UPDATE + "=true";

    @Test
    void exportedApiMatchesTheSnapshot() throws Exception {
        List<String> current = currentApi();
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.write(SNAPSHOT, current);
        }
        assertTrue(Files.exists(SNAPSHOT), SNAPSHOT.toAbsolutePath() + " is missing; create it with: " + HOW_TO_UPDATE);
        List<String> recorded = Files.readAllLines(SNAPSHOT);
        Set<String> removed = new TreeSet<>(recorded);
        current.forEach(removed::remove);
        Set<String> added = new TreeSet<>(current);
        recorded.forEach(added::remove);
        if (!removed.isEmpty() || !added.isEmpty()) {
            StringBuilder diff = new StringBuilder("the exported API differs from " + SNAPSHOT + ":\n");
            removed.forEach(l -> diff.append("- ").append(l).append('\n'));
            added.forEach(l -> diff.append("+ ").append(l).append('\n'));
            diff.append("If the change is intended, regenerate the snapshot and commit it with the change:\n  ")
                    .append(HOW_TO_UPDATE);
            fail(diff.toString());
        }
        assertEquals(recorded, current, SNAPSHOT + " is not sorted or has duplicate lines; regenerate it: " + HOW_TO_UPDATE);
    }

    @Test
    void snapshotCoversEveryExportedPackage() throws Exception {
        List<String> api = currentApi();
        for (String pkg : SourceRulesTest.exportedPackages()) {
            if (!pkg.equals("io.netring.pcap") && !pkg.equals("io.netring.flow")) {   // still empty
                assertTrue(api.stream().anyMatch(l -> l.startsWith(pkg + ".")), "no public type listed for " + pkg);
            }
        }
        assertTrue(api.stream().noneMatch(l -> l.startsWith("io.netring.afpacket.") || l.startsWith("io.netring.internal.")),
                "the backend is not exported");
    }

    /** Every public or protected signature of the exported packages, one per line, sorted. */
    static List<String> currentApi() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Capture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> lines = new TreeSet<>();
        for (String pkg : SourceRulesTest.exportedPackages()) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
                        describe(Class.forName(pkg + "." + name.substring(0, name.length() - 6)), lines);
                    }
                }
            }
        }
        return new ArrayList<>(lines);
    }

    private static void describe(Class<?> type, Set<String> lines) {
        if (!visible(type.getModifiers())) {
            return;
        }
        String owner = type.getName();
        StringBuilder decl = new StringBuilder(type.toGenericString());
        Type superclass = type.getGenericSuperclass();
        // A package-private superclass (shared field reads, say) is no part of the API: users
        // cannot name it, and it declares nothing they can call. Show the nearest visible one.
        while (superclass instanceof Class<?> c && !visible(c.getModifiers())) {
            superclass = c.getGenericSuperclass();
        }
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            decl.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            decl.append(type.isInterface() ? " extends " : " implements ");
            for (int i = 0; i < interfaces.length; i++) {
                decl.append(i == 0 ? "" : ", ").append(interfaces[i].getTypeName());
            }
        }
        lines.add(owner + ": " + decl);
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            add(owner, c, c.toGenericString(), lines);
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!m.isBridge()) {
                add(owner, m, m.toGenericString(), lines);
            } else if (isAccessBridge(m)) {
                lines.add(owner + ": " + m.toGenericString());
            }
        }
        for (Field f : type.getDeclaredFields()) {
            add(owner, f, f.toGenericString(), lines);
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            describe(nested, lines);
        }
    }

    /**
     * javac's public copy, in a public class, of a public method that a package-private
     * superclass declares: users call it on this class, so it is this class's API.
     */
    private static boolean isAccessBridge(Method m) {
        if (!visible(m.getModifiers())) {
            return false;
        }
        for (Class<?> c = m.getDeclaringClass().getSuperclass(); c != null && !visible(c.getModifiers()); c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(m.getName(), m.getParameterTypes()).getReturnType() == m.getReturnType();
            } catch (NoSuchMethodException e) {
                // declared further up, if at all
            }
        }
        return false;
    }

    private static void add(String owner, Member member, String signature, Set<String> lines) {
        if (visible(member.getModifiers()) && !member.isSynthetic()) {
            lines.add(owner + ": " + signature);
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
