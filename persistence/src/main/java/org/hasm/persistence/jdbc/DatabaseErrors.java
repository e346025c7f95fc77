package org.hasm.persistence.jdbc;

import java.sql.SQLException;

/** Turns JDBC failures into one-line {@link StorageException}s a person can act on. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    // H2's error codes (org.h2.api.ErrorCode), kept here so the explanation needs no H2 class
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_IO_EXCEPTION = 90028;
    private static final int H2_IO_EXCEPTION_2 = 90031;
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final int H2_FILE_VERSION_ERROR = 90048;
    private static final int H2_FILE_CREATION_FAILED = 90062;
    private static final int H2_FILE_RENAME_FAILED = 90024;
    private static final int H2_NOT_ENOUGH_RIGHTS = 90096;

    public static StorageException explain(JournalStore store, SQLException e) {
        return new StorageException(store.dialect() == JournalStore.Dialect.H2 ? h2(store, e) : postgres(store, e), e);
    }

    private static String h2(JournalStore store, SQLException e) {
        String dir = String.valueOf(store.dataDir());
        switch (e.getErrorCode()) {
            case H2_DATABASE_ALREADY_OPEN:
                return "the H2 database in " + dir + " is in use by another process (only one hasm process may use a"
                        + " data directory at a time)";
            case H2_WRONG_USER_OR_PASSWORD:
                return "the H2 database in " + dir + " was created with other credentials than hasm's";
            case H2_FILE_VERSION_ERROR:
                return "the H2 database in " + dir + " was written by an incompatible H2 version: " + firstLine(e);
            case H2_FILE_CORRUPTED:
                return "the H2 database in " + dir + " is corrupted: " + firstLine(e);
            case H2_IO_EXCEPTION:
            case H2_IO_EXCEPTION_2:
            case H2_FILE_CREATION_FAILED:
            case H2_FILE_RENAME_FAILED:
            case H2_NOT_ENOUGH_RIGHTS:
                return "cannot open or create the H2 database in " + dir + ": " + firstLine(e);
            default:
                return "H2 database in " + dir + ": " + firstLine(e);
        }
    }

    private static String postgres(JournalStore store, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = store.jdbcUrl();
        if (state.startsWith("08")) {
            return "cannot reach PostgreSQL at " + where + ": " + firstLine(e)
                    + " (is the server running, and is the --db URL right?)";
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return "PostgreSQL refused user '" + store.user() + "' at " + where + " (check " + JournalStore.ENV_USER
                    + " and " + JournalStore.ENV_PASSWORD + "): " + firstLine(e);
        }
        if (state.equals("3D000")) {
            return "PostgreSQL at " + where + ": " + firstLine(e) + " (create it first, see docs/storage.md)";
        }
        if (state.equals("42501")) {
            return "PostgreSQL user '" + store.user() + "' may not create the journal schemas and tables: "
                    + firstLine(e) + " (grant CREATE on the database, or create them as its owner; see docs/storage.md)";
        }
        if (state.equals("53300")) {
            return "PostgreSQL at " + where + " has no connection left: " + firstLine(e)
                    + " (raise max_connections or lower the pool size)";
        }
        return "PostgreSQL at " + where + ": " + firstLine(e) + (state.isEmpty() ? "" : " [SQLState " + state + "]");
    }

    /** The first line of the message, without H2's trailing statement and code. */
    static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? firstLine(cause) : e.getClass().getSimpleName();
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        if (line.endsWith(";") || line.endsWith("SQL statement:")) {
            line = line.replaceFirst("[;:]?\\s*SQL statement:$", "").replaceFirst(";$", "");
        }
        return line.replaceFirst("\\s*\\[\\d{5}-\\d+]$", "");
    }
}
