package io.netring.internal;

/**
 * Whether this runtime has Flight Recorder (the {@code jdk.jfr} module): a trimmed image made
 * with jlink may not. Every use of netring's events is behind this constant, so the classes
 * that name {@code jdk.jfr} types are never loaded where that module is missing.
 */
public final class Jfr {
    private Jfr() {}

    /** True when {@code jdk.jfr} is in the boot layer. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();
}
