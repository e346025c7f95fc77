package org.hasm.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file the user gives hasm to read ({@code --policy}, {@code --scenario}), checked before its parser sees it:
 * a device, an empty file or a binary one is named as such in one line, rather than read as "no such file",
 * as the default, or as a decoder's "Input length = 1".
 */
final class InputFile {
    /** Larger than any policy or scenario: a file this size was given by mistake. */
    private static final long LARGEST = 16L << 20;

    private InputFile() {
    }

    /** {@code --scenario FILE|NAME}: checked as a file when a file of that name exists. */
    static void checkScenario(String fileOrName) {
        try {
            check("--scenario", Path.of(fileOrName));
        } catch (java.nio.file.InvalidPathException e) {
            // not a file name, so a built-in scenario's name or nothing: the loader says which
        }
    }

    /** Nothing to say about a file that does not exist: the loader says so and what it accepts instead. */
    static void check(String option, Path file) {
        String what = option + " " + file;
        if (!Files.exists(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UserError(what + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(what + " is not a regular file (a device or a pipe)");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new UserError(what + " is empty");
            }
            if (size > LARGEST) {
                throw new UserError(what + " is " + size / (1 << 20) + " MB: not a " + option.substring(2) + " file");
            }
            byte[] bytes = Files.readAllBytes(file);
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            for (byte b : bytes) {
                if (b == 0) {
                    throw new UserError(what + " is not a text file (UTF-8)");
                }
            }
            if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                throw new UserError(what + " is empty (only white space)");
            }
        } catch (CharacterCodingException e) {
            throw new UserError(what + " is not a text file (UTF-8)");
        } catch (IOException e) {
            throw new UserError("cannot read " + what + ": " + OutputTarget.reason(e));
        }
    }
}
