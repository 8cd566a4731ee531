package io.netring.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file error as tcpdump words it, {@code FILE: reason}: Java's exceptions for the common
 * errnos carry the path alone and leave the reason to their type.
 */
final class FileErrors {
    private FileErrors() {}

    /** {@code FILE: reason} when {@code e} names a file but no reason, else null. */
    static String describe(Throwable e) {
        if (!(e instanceof FileSystemException f) || f.getReason() != null || f.getFile() == null) {
            return null;
        }
        String reason = switch (f) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case FileAlreadyExistsException x -> "File exists";
            case NotDirectoryException x -> "Not a directory";
            case DirectoryNotEmptyException x -> "Directory not empty";
            default -> null;
        };
        return reason == null ? null : f.getMessage() + ": " + reason;
    }
}
