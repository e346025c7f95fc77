package org.hasm.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where a command writes ({@code --out FILE}, {@code --report DIR}), checked before any work starts, so that no
 * command destroys evidence and none finds out only at the end of a run that it cannot write: never into a store
 * the command reads (its data directory and everything in it, the H2 files included), never over an existing
 * file without {@code --force}, and only where a file can really be created (probed, so a read-only or immutable
 * directory is found up front). A report directory may be written again when it holds nothing but a report's
 * own files (an earlier hasm report); anything else in it needs {@code --force}.
 */
final class OutputTarget {
    private OutputTarget() {
    }

    /** {@code --force}: the one option that lets a command overwrite what it did not write. */
    static final class Force {
        @Option(names = "--force", description = "Overwrite an existing --out file, or write a report into a directory"
                + " that holds other files. Never writes into the data directory a command reads.")
        boolean force;
    }

    /** Writing the output failed after the work was done: one line, exit code 1 ({@link HasmCommand}). */
    static final class WriteFailed extends RuntimeException {
        WriteFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@code --out FILE}: not a directory, not inside any of {@code stores}, not an existing file unless
     * {@code force}, in a directory that exists and where a file can be created.
     */
    static Path file(String option, Path file, boolean force, Collection<Path> stores) {
        String what = option + " " + file;
        if (Files.isDirectory(file)) {
            throw new UserError(what + " is a directory, not a file");
        }
        refuseStores(what, file, stores);
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (name.startsWith(org.hasm.persistence.jdbc.JournalStore.H2_DATABASE_NAME + ".")
                && (name.endsWith(".mv.db") || name.endsWith(".trace.db"))) {
            throw new UserError(what + " is a hasm database file: hasm never writes its output over a store");
        }
        if (Files.exists(file) && !force) {
            throw new UserError(what + " exists: hasm overwrites no file it did not write (give --force to replace it)");
        }
        Path parent = parentOf(file);
        if (!Files.exists(parent)) {
            throw new UserError("cannot write " + what + ": no such directory " + parent);
        }
        if (!Files.isDirectory(parent)) {
            throw new UserError("cannot write " + what + ": " + parent + " is a file, not a directory");
        }
        probe(what, parent);
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new UserError("cannot write " + what + ": permission denied");
        }
        return file;
    }

    /**
     * {@code --report DIR}: not a file, not inside any of {@code stores}; an existing directory holds nothing but
     * {@code reportFiles} (an earlier report) unless {@code force}; a missing one can be created where it would be.
     */
    static Path reportDir(String option, Path dir, boolean force, Set<String> reportFiles, Collection<Path> stores) {
        String what = option + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(what + " is a file, not a directory");
        }
        refuseStores(what, dir, stores);
        if (Files.isDirectory(dir)) {
            if (!force) {
                List<String> others = list(what, dir).stream().filter(n -> !reportFiles.contains(n)).sorted().toList();
                if (!others.isEmpty()) {
                    throw new UserError(what + " holds other files than a hasm report (" + others.get(0)
                            + (others.size() > 1 ? " and " + (others.size() - 1) + " more" : "")
                            + "): give an empty or new directory, or --force to write the report into it");
                }
            }
            probe(what, dir);
            return dir;
        }
        writableDirectory(what, dir);
        return dir;
    }

    /**
     * {@code dir}, or the nearest of its parents that exists when it does not yet, is a directory where a file can
     * be created: a read-only or immutable directory is one line now, not a screen of H2 errors later.
     */
    static void writableDirectory(String what, Path dir) {
        Path existing = dir.toAbsolutePath().normalize();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new UserError("cannot write " + what + ": " + existing + " is a file, not a directory");
        }
        probe(what, existing);
    }

    /** Writes {@code text} to {@code file}, checked before by {@link #file}; a failure now is exit 1, one line. */
    static void write(String option, Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WriteFailed("cannot write " + option + " " + file + ": " + reason(e));
        }
    }

    /** The reason an operation on a file failed, in words: "no such directory", "permission denied", ... */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    /** Creates and deletes a file in {@code dir}: permissions, read-only mounts and immutable directories alike. */
    static void probe(String what, Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".hasm-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UserError(what + ": cannot create a file in " + dir + ": " + reason(e));
        }
    }

    private static void refuseStores(String what, Path target, Collection<Path> stores) {
        Path t = canonical(target);
        for (Path store : stores) {
            if (t.startsWith(canonical(store))) {
                throw new UserError(what + " is inside the data directory " + store + " that the command uses:"
                        + " hasm never writes its output into a store (give a path outside it)");
            }
        }
    }

    /** Absolute, normalised, with the symbolic links of the part that exists resolved: the same file, one name. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    private static Path parentOf(Path p) {
        Path parent = p.toAbsolutePath().normalize().getParent();
        return parent == null ? p.toAbsolutePath().getRoot() : parent;
    }

    private static List<String> list(String what, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UserError("cannot read " + what + ": " + reason(e));
        }
    }
}
