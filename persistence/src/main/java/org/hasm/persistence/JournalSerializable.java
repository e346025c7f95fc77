package org.hasm.persistence;

/** Marker for everything written to a journal; bound to Jackson CBOR in reference.conf. */
public interface JournalSerializable {
}
