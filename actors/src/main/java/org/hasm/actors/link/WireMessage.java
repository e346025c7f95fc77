package org.hasm.actors.link;

/**
 * Marker for every message that may cross between the nodes of the roles {@code meters},
 * {@code concentrator} and {@code central} (docs/cluster.md); bound to Jackson CBOR in reference.conf.
 *
 * <p>It is apart from {@link org.hasm.persistence.JournalSerializable} although both go by CBOR: a journal
 * event is evidence kept for years, a wire message is a protocol between processes, and the round-trip
 * test ({@code WireMessageTest}) and the cluster design need to know which is which.
 */
public interface WireMessage {
}
