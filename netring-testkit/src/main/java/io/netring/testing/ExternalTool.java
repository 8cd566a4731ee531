package io.netring.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs and headers outside the JDK that tests run or build against, each with the
 * Debian package that brings it (bin/test installs those packages when it runs as root).
 *
 * <p>Commands are looked for on {@code NETRING_TOOLS_PATH} when it is set, else on
 * {@code PATH}; a header under the {@code include} folder beside each of those folders
 * ({@code /usr/bin} → {@code /usr/include}). Pointing NETRING_TOOLS_PATH at a folder without
 * the tools shows what a new machine skips, without removing any package.
 */
public enum ExternalTool {
    /** The link tool every namespace test runs ({@code ip netns}, {@code ip link}). */
    IP("ip", "iproute2", false),
    TCPDUMP("tcpdump", "tcpdump", false),
    TSHARK("tshark", "tshark", false),
    CAPINFOS("capinfos", "wireshark-common", false),
    EDITCAP("editcap", "wireshark-common", false),
    TCPFLOW("tcpflow", "tcpflow", false),
    GCC("gcc", "gcc", false),
    /** libpcap's header, which the C oracles and baselines are compiled against. */
    LIBPCAP_HEADERS("pcap/pcap.h", "libpcap-dev", true),
    PATCHELF("patchelf", "patchelf", false),
    SETCAP("setcap", "libcap2-bin", false),
    /** The HTTP client of the real-traffic corpus ({@link RealTrafficCorpus}). */
    CURL("curl", "curl", false),
    /** TLS server and client of the real-traffic corpus. */
    OPENSSL("openssl", "openssl", false),
    /** Runs the corpus's HTTP and DNS servers and its DNS, UDP and ping client (standard library only). */
    PYTHON3("python3", "python3", false);

    /** The variable that replaces PATH for the lookup. */
    public static final String PATH_VARIABLE = "NETRING_TOOLS_PATH";

    private final String file;
    private final String debianPackage;
    private final boolean header;

    ExternalTool(String file, String debianPackage, boolean header) {
        this.file = file;
        this.debianPackage = debianPackage;
        this.header = header;
    }

    /** The command's name, or the header's path under an include folder. */
    public String file() {
        return file;
    }

    /** The Debian package that installs it. */
    public String debianPackage() {
        return debianPackage;
    }

    /**
     * The command line that runs this tool with {@code args}. tcpdump started as uid 0 drops to
     * the user {@code tcpdump}: as real root {@code -Z root} keeps it root (so it can read a
     * test's private folder); inside bin/test's {@code unshare -rn}, where no other user exists
     * and setgroups is denied, even {@code -Z root} exits 1, so there it runs as uid 1 of a nested
     * user namespace, where it has nothing to drop.
     */
    public String[] command(String... args) {
        if (header) {
            throw new IllegalStateException(file + " is a header, not a command");
        }
        String[] lead = this != TCPDUMP ? new String[] {file}
                : NetNamespace.IN_PRIVATE_NETNS ? new String[] {"unshare", "--user", "--map-user=1", "--map-group=1", file}
                : new String[] {file, "-Z", "root"};
        String[] cmd = java.util.Arrays.copyOf(lead, lead.length + args.length);
        System.arraycopy(args, 0, cmd, lead.length, args.length);
        return cmd;
    }

    /** True when the command is on the tool path, or the header beside one of its folders. */
    public boolean available() {
        return availableOn(searchPath());
    }

    /** True when the command is in one of {@code searchPath}'s folders, or the header in the include folder beside one. */
    public boolean availableOn(String searchPath) {
        for (String dir : searchPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = header ? Path.of(dir).resolveSibling("include").resolve(file) : Path.of(dir, file);
            if (header ? Files.isRegularFile(candidate) : Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Why a test that needs it cannot run: names the file, where it was looked for and the package. */
    public String missingReason() {
        String where = System.getenv(PATH_VARIABLE) != null ? PATH_VARIABLE : "PATH";
        return (header ? "the header " + file + " is not under the include folders beside " : file + " is not on ")
                + where + " (Debian package " + debianPackage + "; bin/test installs it when run as root)";
    }

    private static String searchPath() {
        String override = System.getenv(PATH_VARIABLE);
        return override != null ? override : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    }
}
