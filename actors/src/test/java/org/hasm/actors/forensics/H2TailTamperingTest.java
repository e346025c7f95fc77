package org.hasm.actors.forensics;

import java.nio.file.Path;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.io.TempDir;

/** The tail and anchor attacks on the embedded H2 file database. */
class H2TailTamperingTest extends TailTamperingContract {
    @TempDir
    static Path dir;

    @Override
    JournalStore store() {
        return JournalStore.h2(dir.resolve("data"));
    }
}
