package org.hasm.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hasm.persistence.jdbc.JournalStore;
import picocli.CommandLine.Option;

/**
 * Where the replay commands read the central system's journals when they are not with the meters' logs:
 * a simulation split over processes on the embedded database leaves them in a central node's own database.
 */
final class CentralDataOption {
    @Option(names = "--central-data", paramLabel = "DIR",
            description = "The central system's journals when they are not with the meters' logs: a central node's"
                    + " embedded database (default: DATA/central-node, where 'simulate --processes 3' leaves it).")
    Path centralData;

    /** {@code --central-data}, else a central node's database in the data directory, else {@code store} itself. */
    JournalStore centralStore(StorageOptions storage, JournalStore store) {
        Path dir = centralData != null ? centralData : storage.centralNodeData().orElse(null);
        if (dir == null) {
            return store;
        }
        if (!Files.isRegularFile(StorageOptions.h2File(dir))) {
            throw new UserError("--central-data " + dir + " holds no " + StorageOptions.h2File(dir).getFileName());
        }
        return StorageOptions.readable(dir);
    }
}
