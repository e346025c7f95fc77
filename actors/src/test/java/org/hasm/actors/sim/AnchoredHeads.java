package org.hasm.actors.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hasm.actors.central.MeterAccount;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalReader;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;

/**
 * What a run left unanchored, read straight from the store: for each meter and segment, the highest entry
 * seq beside the seq of the last {@code AnchorRecorded} its account holds. After a clean stop the two are
 * equal everywhere (docs/log-chain.md).
 */
public final class AnchoredHeads {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private AnchoredHeads() {
    }

    /** "meter segment" of every segment with entries -> its highest entry seq. */
    public static Map<String, Long> heads(JournalStore store) throws Exception {
        Map<String, Long> heads = new TreeMap<>();
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
                String prefix = JournalReader.segmentPrefix(segment);
                reader.segmentRows(segment, Set.of(), (pid, seq, payload) ->
                        heads.merge(pid.substring(prefix.length()) + " " + Segment.journalName(segment), seq, Math::max));
            }
        }
        return heads;
    }

    /** "meter segment" -> the seq of the last anchor the meter's account recorded for it, in the journal's order. */
    public static Map<String, Long> lastAnchors(JournalStore store) throws Exception {
        Map<String, Long> last = new HashMap<>();
        String prefix = MeterAccount.TYPE_KEY.name() + "|";
        String manifest = MeterAccount.AnchorRecorded.class.getName();
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            reader.centralRows(JournalStore.CENTRAL_ACCOUNTS, Set.of(), prefix, (pid, seq, deleted, kind, payload) -> {
                if (kind.equals(manifest)) {
                    try {
                        JsonNode anchor = CBOR.readTree(payload);
                        last.put(pid.substring(prefix.length()) + " " + anchor.get("segment").asText(), anchor.get("seq").asLong());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return last;
    }

    /** Every segment whose newest entry no anchor covers: "meter segment" -> "head N, last anchor M". */
    public static Map<String, String> unanchored(JournalStore store) throws Exception {
        return unanchored(store, store);
    }

    /** {@link #unanchored(JournalStore)} for a run whose central system kept its journals apart (a central node). */
    public static Map<String, String> unanchored(JournalStore meters, JournalStore central) throws Exception {
        Map<String, Long> last = lastAnchors(central);
        Map<String, String> tails = new TreeMap<>();
        heads(meters).forEach((segment, head) -> {
            Long anchored = last.get(segment);
            if (anchored == null || anchored != head.longValue()) {
                tails.put(segment, "head " + head + ", last anchor " + anchored);
            }
        });
        return tails;
    }
}
