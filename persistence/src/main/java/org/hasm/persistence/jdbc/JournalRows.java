package org.hasm.persistence.jdbc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import org.hasm.persistence.Segment;

/** Segment entries read straight from journal rows, without an actor system. */
public final class JournalRows {
    /** Pekko's jackson-cbor serializer writes plain CBOR (no compression by default), so this reads it back. */
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JournalRows() {
    }

    public static Segment.Entry entry(String persistenceId, byte[] payload) {
        try {
            return CBOR.readValue(payload, Segment.Entry.class);
        } catch (IOException e) {
            throw new StorageException("an entry of " + persistenceId + " is not a segment entry: " + e.getMessage(), e);
        }
    }
}
