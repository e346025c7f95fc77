package org.hasm.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hasm.actors.forensics.ForensicReader;
import org.hasm.actors.forensics.ForensicReport;
import org.hasm.actors.forensics.ForensicTime;
import org.hasm.actors.forensics.MeterLogs;
import org.hasm.actors.forensics.MeterTimeline;
import org.hasm.actors.forensics.FraudAlerts;
import org.hasm.actors.forensics.OperatorTrail;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hasm replay timeline}: one meter's segments in time order, with the central system's view beside them. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = {"One meter's segments merged in time order, with the central system's view beside them"
                + " (commands issued, acknowledgements, anchors, bills, refused frames, operator requests). Read-only.",
                "Times: an ISO instant (2026-01-01T18:00:00Z), a scenario time ('day 1 18:00') or epoch milliseconds.",
                "A central event marked ~ carries no time of its own: it shows the latest time before it in the account.",
                "Tables show times inside entries as instants; --format json keeps the entries as written."})
final class ReplayTimelineCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Mixin
    CentralDataOption central;

    @Option(names = "--meter", required = true, paramLabel = "ID", description = "The meter, e.g. m00017.")
    String meter;

    @Option(names = "--from", paramLabel = "T", description = "Only entries at or after T.")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Only entries at or before T.")
    String to;

    @Option(names = "--segment", paramLabel = "S", split = ",",
            description = "Only these sources (repeatable): metrology-log, security-log, off-switch-log, tariffs,"
                    + " credit-store, operational-parameters, central, gateway.")
    List<String> segments = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "F", description = "table, json or html (default: ${DEFAULT-VALUE}).")
    ForensicReport.Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Set<String> sources = new LinkedHashSet<>(segments);
        for (String s : sources) {
            if (!MeterTimeline.sources().contains(s)) {
                throw new UserError("--segment '" + s + "' is not one of " + String.join(", ", MeterTimeline.sources()));
            }
        }
        long start = from == null ? Long.MIN_VALUE : ReplaySupport.time("--from", from);
        long end = to == null ? Long.MAX_VALUE : ReplaySupport.time("--to", to);
        if (start > end) {
            throw new UserError("--from " + from + " is after --to " + to);
        }
        try (ForensicReader reader = ReplaySupport.open(storage, central)) {
            MeterLogs logs = ReplaySupport.meter(reader, meter);
            List<MeterTimeline.Row> rows = MeterTimeline.of(logs, new OperatorTrail(reader.gateway()),
                    new FraudAlerts(reader.fraudAlerts()), start, end, sources);
            List<List<String>> cells = rows.stream().map(r -> List.of(r.at(), r.source(), r.seq() == 0 ? "" : Long.toString(r.seq()),
                    r.kind(), ForensicTime.readable(r.key().isEmpty() ? r.value() : r.key() + " = " + r.value()))).toList();
            new ForensicReport("timeline of " + meter + ": " + rows.size() + " entries and events",
                    List.of("sources: " + (sources.isEmpty() ? "all" : String.join(", ", sources))
                            + (from == null && to == null ? "" : "; from " + (from == null ? "the start" : from) + " to "
                            + (to == null ? "the end" : to))),
                    List.of(new ForensicReport.Table("entries", List.of("time", "source", "seq", "kind", "value"), cells)),
                    new Timeline(meter, rows)).write(format, spec.commandLine().getOut());
        } catch (StorageException e) {
            throw new UserError(e.getMessage()); // e.g. the database is in use by a running simulation
        }
        return 0;
    }

    record Timeline(String meterId, List<MeterTimeline.Row> rows) {
    }
}
