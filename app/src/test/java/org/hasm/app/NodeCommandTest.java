package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code hasm node}'s answers to bad input: one line on stderr and exit code 2, no stack trace. */
class NodeCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hasm(String... args) {
        return HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private void oneLineSaying(String expected) {
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }

    @Test
    void anUnknownRoleIsOneLine() {
        assertEquals(HasmCommand.USAGE, hasm("node", "--role", "boss"));
        oneLineSaying("--role boss is not one of central, concentrator, meters");
    }

    @Test
    void aMalformedSeedIsOneLine() {
        assertEquals(HasmCommand.USAGE, hasm("node", "--role", "meters", "--seed", "localhost"));
        oneLineSaying("seed 'localhost' is not HOST:PORT");
    }

    @Test
    void aTakenPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(HasmCommand.USAGE, hasm("node", "--role", "meters", "--port", String.valueOf(port)));
            oneLineSaying("cannot listen on 127.0.0.1:" + port);
        }
        assertEquals("", out.toString());
    }

    @Test
    void aSeedNobodyAnswersAtIsOneLineAfterTheJoinTimeout() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort(); // closed again: nothing listens there during the join
        }
        assertEquals(HasmCommand.USAGE, hasm("node", "--role", "meters", "--seed", "127.0.0.1:" + port,
                "--join-timeout", "1"));
        oneLineSaying("could not join the cluster: no seed of [127.0.0.1:" + port + "] answered within 1 s");
        assertEquals("", out.toString(), "no 'up' line");
    }
}
