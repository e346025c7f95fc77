package org.hasm.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import me.tongfei.progressbar.ProgressBar;
import org.hasm.actors.forensics.Explanation;
import org.hasm.actors.forensics.ForensicReader;
import org.hasm.actors.forensics.ForensicReport;
import org.hasm.actors.forensics.FraudAlerts;
import org.hasm.actors.forensics.MeterLogs;
import org.hasm.actors.forensics.OperatorTrail;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hasm replay explain}: the cause of every switch-off, credit change and tariff change; exit 1 if one has none. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Links every off-switch actuation to a remote command the central system issued (and the operator"
                + " request the gateway let through) or to a zero-credit trigger; every credit change to a top-up token"
                + " or the billing debit of a reading; every prepaid-mode and tariff change to a signed command. Lists"
                + " what cannot be explained (exit 1) and the trail that changed nothing: refused attempts, folded"
                + " floods, operator requests held or refused, and the fraud alerts the concentrators sent. Read-only."})
final class ReplayExplainCommand implements Callable<Integer> {
    /** Meters read at once with --all: enough to keep the pool busy, few enough to bound memory. */
    private static final int IN_FLIGHT = 8;
    /** Below this many meters --all is quick enough without a progress bar. */
    private static final int BAR_FROM = 100;

    @Mixin
    StorageOptions storage;

    @Mixin
    CentralDataOption central;

    static final class Which {
        @Option(names = "--meter", required = true, paramLabel = "ID", description = "One meter, e.g. m00017: every finding.")
        String meter;

        @Option(names = "--all", required = true, description = "Every meter: totals, what is unexplained, and the trail.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--format", defaultValue = "table", paramLabel = "F", description = "table, json or html (default: ${DEFAULT-VALUE}).")
    ForensicReport.Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (ForensicReader reader = ReplaySupport.open(storage, central)) {
            OperatorTrail gateway = new OperatorTrail(reader.gateway());
            FraudAlerts alerts = new FraudAlerts(reader.fraudAlerts());
            long unexplained;
            if (which.meter != null) {
                Explanation e = Explanation.of(ReplaySupport.meter(reader, which.meter), gateway, alerts);
                unexplained = e.unexplained();
                one(e).write(format, spec.commandLine().getOut());
            } else {
                List<Explanation> all = all(reader, gateway);
                unexplained = all.stream().mapToLong(Explanation::unexplained).sum();
                summary(all, alerts, reader.fraudAlertsKept()).write(format, spec.commandLine().getOut());
            }
            return unexplained == 0 ? 0 : HasmCommand.CHECK_FAILED;
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static List<Explanation> all(ForensicReader reader, OperatorTrail gateway) {
        List<String> ids = reader.meterIds();
        if (ids.isEmpty()) {
            throw new UserError("the logs hold no meter");
        }
        List<Explanation> out = new ArrayList<>();
        Deque<CompletableFuture<MeterLogs>> reading = new ArrayDeque<>();
        try (ProgressBar bar = ids.size() >= BAR_FROM ? ProgressBars.bar("meters", ids.size()) : null) {
            for (String id : ids) {
                reading.add(reader.meterAsync(id));
                if (reading.size() >= IN_FLIGHT) {
                    out.add(Explanation.of(reading.poll().join(), gateway));
                    step(bar);
                }
            }
            while (!reading.isEmpty()) {
                out.add(Explanation.of(reading.poll().join(), gateway));
                step(bar);
            }
        }
        return out;
    }

    private static void step(ProgressBar bar) {
        if (bar != null) {
            bar.step();
        }
    }

    private static List<String> finding(Explanation.Finding f) {
        return List.of(f.at(), f.segment() + " #" + f.seq(), f.category(), f.verdict().name(), f.what(), String.join("; ", f.because()));
    }

    private static List<String> note(Explanation.Note n) {
        return List.of(n.source(), n.kind(), Long.toString(n.count()), n.first(), n.last(), n.detail());
    }

    private static final List<String> FINDING_COLUMNS = List.of("time", "entry", "category", "verdict", "change", "because");
    private static final List<String> NOTE_COLUMNS = List.of("source", "kind", "count", "first", "last", "detail");

    private static ForensicReport one(Explanation e) {
        return new ForensicReport("explain " + e.meterId() + ": " + e.findings().size() + " changes, " + e.unexplained() + " unexplained",
                List.of(),
                List.of(new ForensicReport.Table("changes and their causes", FINDING_COLUMNS,
                                e.findings().stream().map(ReplayExplainCommand::finding).toList()),
                        new ForensicReport.Table("unexplained", FINDING_COLUMNS, e.findings().stream()
                                .filter(f -> f.verdict() == Explanation.Verdict.UNEXPLAINED).map(ReplayExplainCommand::finding).toList()),
                        new ForensicReport.Table("trail (refused attempts, floods, operator requests)", NOTE_COLUMNS,
                                e.trail().stream().map(ReplayExplainCommand::note).toList())),
                e);
    }

    /** For JSON: totals per category, and only what needs a reader's eye per meter. */
    record Summary(int meters, long changes, long unexplained, Map<String, Long> changesByCategory,
                   List<FraudAlerts.Alert> fraudAlerts, List<MeterFindings> meterFindings) {
    }

    record MeterFindings(String meterId, List<Explanation.Finding> unexplained, List<Explanation.Note> trail) {
    }

    private static final List<String> ALERT_COLUMNS = List.of("concentrator", "from", "to", "rounds", "signature", "detail");

    private static List<String> alert(FraudAlerts.Alert a) {
        return List.of(a.concentratorId(), a.from(), a.to(), a.fromRound() + ".." + a.toRound(),
                a.verified() ? "verified" : "REFUSED", a.describe());
    }

    /** Per meter, the trail; the fraud alerts once, at neighbourhood level (an alert names a feeder, not a meter). */
    private static ForensicReport summary(List<Explanation> all, FraudAlerts alerts, boolean alertsKept) {
        Map<String, Long> byCategory = new TreeMap<>();
        List<List<String>> unexplained = new ArrayList<>();
        Map<String, List<Object[]>> shared = new java.util.LinkedHashMap<>();
        List<MeterFindings> perMeter = new ArrayList<>();
        long changes = 0;
        long bad = 0;
        for (Explanation e : all) {
            changes += e.findings().size();
            bad += e.unexplained();
            e.findings().forEach(f -> byCategory.merge(f.category(), 1L, Long::sum));
            List<Explanation.Finding> u = e.findings().stream().filter(f -> f.verdict() == Explanation.Verdict.UNEXPLAINED).toList();
            u.forEach(f -> {
                List<String> row = new ArrayList<>(List.of(e.meterId()));
                row.addAll(finding(f));
                unexplained.add(row);
            });
            // the same operator request names many meters: one row for all of them
            e.trail().forEach(n -> shared.computeIfAbsent(n.source() + "\n" + n.kind() + "\n" + n.detail(),
                    k -> new ArrayList<>()).add(new Object[] {e.meterId(), n}));
            if (!u.isEmpty() || !e.trail().isEmpty()) {
                perMeter.add(new MeterFindings(e.meterId(), u, e.trail()));
            }
        }
        List<List<String>> trail = new ArrayList<>();
        for (List<Object[]> same : shared.values()) {
            Explanation.Note n = (Explanation.Note) same.get(0)[1];
            String meters = same.size() == 1 ? (String) same.get(0)[0]
                    : same.size() + " meters (" + same.get(0)[0] + " .. " + same.get(same.size() - 1)[0] + ")";
            long count = same.stream().mapToLong(o -> ((Explanation.Note) o[1]).count()).sum();
            List<String> row = new ArrayList<>(List.of(meters));
            row.addAll(note(new Explanation.Note(n.source(), n.kind(), count, n.first(), n.last(), n.detail())));
            trail.add(row);
        }
        List<List<String>> totals = byCategory.entrySet().stream().map(c -> List.of(c.getKey(), Long.toString(c.getValue()))).toList();
        List<String> uColumns = new ArrayList<>(List.of("meter"));
        uColumns.addAll(FINDING_COLUMNS);
        List<String> tColumns = new ArrayList<>(List.of("meters"));
        tColumns.addAll(NOTE_COLUMNS);
        long verified = alerts.all().stream().filter(FraudAlerts.Alert::verified).count();
        List<String> notes = new ArrayList<>(List.of(bad == 0
                ? "every switch actuation, credit change, prepaid-mode and tariff change has a cause in the logs"
                : bad + " changes have no cause in the logs: see 'unexplained'"));
        if (!alertsKept) {
            notes.add("this store has no central-alerts journal (written before the central system kept fraud alerts)");
        } else if (!alerts.all().isEmpty()) {
            notes.add(verified + " verified fraud alerts (energy taken around the meters behind a feeder), "
                    + (alerts.all().size() - verified) + " refused: see 'fraud alerts'");
        }
        return new ForensicReport("explain --all: " + all.size() + " meters, " + changes + " changes, " + bad + " unexplained",
                notes,
                List.of(new ForensicReport.Table("changes by category", List.of("category", "changes"), totals),
                        new ForensicReport.Table("unexplained", uColumns, unexplained),
                        new ForensicReport.Table("trail (refused attempts, floods, operator requests)", tColumns, trail),
                        new ForensicReport.Table("fraud alerts (central-alerts)", ALERT_COLUMNS,
                                alerts.all().stream().map(ReplayExplainCommand::alert).toList())),
                new Summary(all.size(), changes, bad, byCategory, alerts.all(), perMeter));
    }
}
