package org.hasm.actors.sim.scenario;

/**
 * A scenario file the simulation cannot run: its message is one line naming the file, the line and the
 * path in the file where known, and what was expected, so the CLI prints it as it is.
 */
public final class ScenarioException extends RuntimeException {
    private final String source;
    private final int line;
    private final String path;
    private final String problem;

    public ScenarioException(String source, int line, String path, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + oneLine(problem));
        this.source = source;
        this.line = line;
        this.path = path;
        this.problem = oneLine(problem);
    }

    /** The same problem, now with the line where {@link #path()} sits. */
    ScenarioException atLine(int atLine) {
        return line > 0 || atLine <= 0 ? this : new ScenarioException(source, atLine, path, problem);
    }

    /** Where the scenario came from: a file path or {@code scenarios/NAME.conf} on the classpath. */
    public String source() {
        return source;
    }

    /** The line in the file, 0 when not known (e.g. after a command-line override). */
    public int line() {
        return line;
    }

    /** The path in the file, e.g. {@code timeline[2].at}; empty for the file as a whole. */
    public String path() {
        return path;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
