package org.hasm.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hasm.actors.forensics.ForensicReader;
import org.hasm.actors.forensics.ForensicReport;
import org.hasm.actors.forensics.ForensicTime;
import org.hasm.actors.forensics.MeterLogs;
import org.hasm.actors.forensics.MeterState;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hasm replay state}: a meter at an instant, rebuilt by replaying its entries up to it. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Each segment of one meter at an instant (credit, prepaid flag, tariff, switch state, last reading,"
                + " ...), rebuilt by replaying its entries up to and including that instant, beside the central system's"
                + " account at the same instant. Read-only.",
                "Times: an ISO instant (2026-01-01T18:00:00Z), a scenario time ('day 1 18:00') or epoch milliseconds."})
final class ReplayStateCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Mixin
    CentralDataOption central;

    @Option(names = "--meter", required = true, paramLabel = "ID", description = "The meter, e.g. m00017.")
    String meter;

    @Option(names = "--at", required = true, paramLabel = "T", description = "The instant; it must lie within the meter's log.")
    String at;

    @Option(names = "--format", defaultValue = "table", paramLabel = "F", description = "table, json or html (default: ${DEFAULT-VALUE}).")
    ForensicReport.Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long instant = ReplaySupport.time("--at", at);
        try (ForensicReader reader = ReplaySupport.open(storage, central)) {
            MeterLogs logs = ReplaySupport.meter(reader, meter);
            ReplaySupport.within(logs, "--at", instant);
            MeterState s = MeterState.at(logs, instant);
            MeterState.Meter m = s.meter();
            MeterState.Central c = s.central();
            List<List<String>> view = List.of(
                    List.of("credit", m.creditMilliCents() == null ? "none stored" : MeterState.cents(m.creditMilliCents()),
                            MeterState.cents(c.creditMilliCents())),
                    List.of("prepaid", Boolean.toString(m.prepaid()), Boolean.toString(c.prepaid())),
                    List.of("tariff (m¢/kWh by hour)", m.tariff().isEmpty() ? "as provisioned" : MeterState.hours(m.tariff()), ""),
                    List.of("switch", m.supply() + " (cause " + m.switchCause() + ", last command #" + m.lastSwitchSequence() + ")",
                            c.switchCommands() + " switch commands issued"),
                    List.of("last reading", m.lastReading().isEmpty() ? "none" : ForensicTime.readable(m.lastReading()) + " (at "
                            + ForensicTime.show(m.lastReadingTime()) + ")", c.readings() + " readings, " + c.bills() + " bills"),
                    List.of("commands / top-ups", "", c.commands() + " commands, " + c.topUpTokens() + " top-up tokens issued"),
                    List.of("anchors / refused frames", "", c.anchors() + " anchors, " + c.refusedFrames() + " frames refused"));
            List<List<String>> segments = new ArrayList<>();
            for (MeterState.SegmentState seg : s.segments()) {
                segments.add(List.of(seg.segment(), Long.toString(seg.entries()), seg.entries() == 0 ? "" : seg.firstSeq() + ".." + seg.lastSeq(),
                        seg.entries() == 0 ? "" : ForensicTime.show(seg.lastTime()) + " " + seg.lastKind() + ": "
                                + (seg.segment().equals("tariffs") ? MeterState.hours(seg.lastValue()) : ForensicTime.readable(seg.lastValue()))));
            }
            List<List<String>> values = new ArrayList<>();
            s.segments().forEach(seg -> seg.values().forEach((k, v) -> values.add(List.of(seg.segment(), k, ForensicTime.readable(v)))));
            new ForensicReport("state of " + meter + " at " + ForensicTime.show(instant), List.of(),
                    List.of(new ForensicReport.Table("meter and central system", List.of("", "meter (its segments)", "central system (its account)"), view),
                            new ForensicReport.Table("segments (entries up to the instant; released ones are not counted)",
                                    List.of("segment", "entries", "seq", "latest entry"), segments),
                            new ForensicReport.Table("values", List.of("segment", "key", "value"), values)),
                    s).write(format, spec.commandLine().getOut());
        } catch (StorageException e) {
            throw new UserError(e.getMessage()); // e.g. the database is in use by a running simulation
        }
        return 0;
    }
}
