package org.hasm.policy.kernel;

import org.hasm.policy.MessageType;

/** A message between parts of the meter. Its type is fixed by its class, not chosen by the sender. */
public interface PolicyMessage {
    MessageType messageType();
}
