package org.hasm.policy.kernel;

import org.hasm.policy.MessageType;

/** A message of any type, tagged so a test can tell its messages apart. */
record TestMessage(MessageType messageType, String tag) implements PolicyMessage {
}
