package org.hasm.policy;

/** A policy file that cannot be used, with the file, the line (0 = the whole file) and what is wrong. */
public final class PolicyFileException extends Exception {
    private final String file;
    private final int line;
    private final String problem;

    public PolicyFileException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
