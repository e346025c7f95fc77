package org.hasm.persistence.jdbc;

/**
 * The journal database cannot be used: unreachable, refused the credentials, locked by another process,
 * or missing settings. {@link #getMessage()} is one line meant for the person running hasm; a CLI prints
 * it and exits without a stack trace. The JDBC exception, where there is one, is the cause.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
