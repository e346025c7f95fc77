package org.hasm.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test access to the shipped policy's text and to the parser. */
public final class PolicyTexts {
    private PolicyTexts() {
    }

    public static String shipped() throws IOException {
        try (InputStream in = FlowPolicy.class.getResourceAsStream(FlowPolicy.SHIPPED_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static FlowPolicy parse(String text) throws PolicyFileException {
        return PolicyParser.parse("test-policy.txt", text);
    }
}
