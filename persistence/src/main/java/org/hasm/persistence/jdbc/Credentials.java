package org.hasm.persistence.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Who a store logs in as: H2's fixed user, or a PostgreSQL user given or taken from the environment. */
record Credentials(String user, String password) {
    /** The user and password every H2 database of hasm is created with. */
    static final Credentials H2 = new Credentials("hasm", "hasm");

    /** A PostgreSQL user (required) and password (none is the empty one) for {@code jdbcUrl}. */
    static Credentials postgres(String jdbcUrl, String user, String password) {
        if (user == null || user.isBlank()) {
            throw new StorageException("no PostgreSQL user given for " + jdbcUrl);
        }
        return new Credentials(user, password == null ? "" : password);
    }

    /** The user from {@value JournalStore#ENV_USER} and the password from {@value JournalStore#ENV_PASSWORD}. */
    static Credentials fromEnvironment(Map<String, String> environment) {
        String user = environment.get(JournalStore.ENV_USER);
        String password = environment.get(JournalStore.ENV_PASSWORD);
        List<String> missing = new ArrayList<>();
        if (user == null || user.isBlank()) {
            missing.add(JournalStore.ENV_USER);
        }
        if (password == null) {
            missing.add(JournalStore.ENV_PASSWORD);
        }
        if (!missing.isEmpty()) {
            throw new StorageException("PostgreSQL credentials come from the environment: set " + JournalStore.ENV_USER
                    + " and " + JournalStore.ENV_PASSWORD + " (missing: " + String.join(", ", missing) + ")");
        }
        return new Credentials(user, password);
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "Credentials[" + user + "]";
    }
}
