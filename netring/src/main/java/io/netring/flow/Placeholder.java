package io.netring.flow;

/** Keeps the package non-empty, so the module can export it before its first type lands; delete it then. */
final class Placeholder {
    private Placeholder() {}
}
