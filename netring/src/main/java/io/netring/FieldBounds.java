package io.netring;

/**
 * The bounds check of the field accessors ({@code shortAt}/{@code intAt} of packets,
 * {@code putShort}/{@code putInt} of TX slots): one rule and one message for both directions.
 */
final class FieldBounds {
    private FieldBounds() {}

    /**
     * Checks that bytes {@code index .. index+size-1} lie in {@code [0, limit)}.
     * The message reads "bytes I..J outside {@code what}{@code limit} bytes"; {@code what} is a
     * constant, so the check builds nothing unless it fails.
     * @return {@code index}
     * @throws IndexOutOfBoundsException when they do not
     */
    static int check(int index, int size, int limit, String what) {
        if (index < 0 || index > limit - size) {
            throw new IndexOutOfBoundsException("bytes " + index + ".." + ((long) index + size - 1)
                    + " outside " + what + limit + " bytes");
        }
        return index;
    }
}
