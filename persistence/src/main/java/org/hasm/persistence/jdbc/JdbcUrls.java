package org.hasm.persistence.jdbc;

import java.nio.file.Path;
import java.util.Locale;

/** The JDBC URLs of the two databases: H2's file URL with its options, PostgreSQL's checked and tuned. */
final class JdbcUrls {
    /**
     * H2 options: WRITE_DELAY=0 writes every commit to the file before the commit returns (H2's default of
     * 500 ms loses confirmed entries when the process dies: measured, the whole database was empty after a
     * crash right after commit). DB_CLOSE_ON_EXIT=FALSE leaves closing to the actor system, whose shutdown
     * still writes; afterwards {@link H2Housekeeping#compactFile} can compact the file in full. Not
     * COMPRESS=TRUE: it halved the file while a run writes, but cost 12-32 % of the journal's write rate
     * (BENCHMARKS.md, "H2 file size"). No AUTO_SERVER: it would open a TCP port to the meters' logs; one
     * process opens the files, and H2's file lock turns a second one away.
     */
    static final String H2_OPTIONS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    private static final String H2_READ_ONLY = ";ACCESS_MODE_DATA=r";
    private static final String POSTGRES_READ_ONLY = "readOnly=true&readOnlyMode=always";

    private JdbcUrls() {
    }

    /** The URL of the H2 file database in {@code dir}, an absolute, normalised directory. */
    static String h2(Path dir) {
        if (dir.toString().contains(";")) {
            throw new StorageException("the data directory may not contain ';' (H2 reads it as a URL option): " + dir);
        }
        return "jdbc:h2:file:" + dir.resolve(JournalStore.H2_DATABASE_NAME) + H2_OPTIONS;
    }

    /** The PostgreSQL URL checked, with {@link #withBatchedInserts}. */
    static String postgres(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new StorageException("not a PostgreSQL JDBC URL: '" + jdbcUrl
                    + "' (expected e.g. jdbc:postgresql://localhost:5432/hasm)");
        }
        return withBatchedInserts(jdbcUrl);
    }

    private static String withBatchedInserts(String jdbcUrl) {
        if (jdbcUrl.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    /** The same database opened read-only (see {@link JournalStore#readOnly()}). */
    static String readOnly(JournalStore.Dialect dialect, String url) {
        return dialect == JournalStore.Dialect.H2
                ? url + H2_READ_ONLY
                : url + (url.contains("?") ? "&" : "?") + POSTGRES_READ_ONLY;
    }

    static boolean isReadOnly(String url) {
        return url.contains(H2_READ_ONLY) || url.contains("readOnlyMode=always");
    }
}
