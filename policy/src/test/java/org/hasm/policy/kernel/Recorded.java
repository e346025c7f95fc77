package org.hasm.policy.kernel;

import org.hasm.policy.Part;

/** What a recording part forwards to the test probe for every message its guard delivered. */
record Recorded(Part at, TestMessage message) {
}
