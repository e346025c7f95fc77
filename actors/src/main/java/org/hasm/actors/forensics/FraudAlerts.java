package org.hasm.actors.forensics;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.crypto.SignedFraudAlert;

/**
 * The fraud alerts the central system kept ({@code central-alerts}, one ledger per data concentrator). An
 * alert names a concentrator and its rounds, not a meter: the theft is somewhere behind that feeder.
 */
public final class FraudAlerts {
    /** One alert as a reader sees it; {@code from}..{@code to} is the window of the suspicious intervals. */
    public record Alert(String concentratorId, long fromRound, long toRound, long fromTime, long toTime, String from, String to, long feederWh,
                        long aggregateWh, long gapWh, long lossesPpm, boolean verified, String reason) {
        /** One line for a trail. */
        public String describe() {
            String figures = String.format(Locale.ROOT, "%s rounds %d..%d: feeder %,d Wh vs aggregate %,d Wh, %,d Wh beyond %.2f %% losses",
                    concentratorId, fromRound, toRound, feederWh, aggregateWh, gapWh, lossesPpm / 10_000.0);
            return figures + (verified ? "; signature verified" : "; REFUSED: " + reason);
        }
    }

    private final List<Alert> alerts;

    public FraudAlerts(List<FraudAlertLedger.AlertRecorded> recorded) {
        this.alerts = recorded.stream().sorted(Comparator.comparingLong(FraudAlertLedger.AlertRecorded::fromTime))
                .map(FraudAlerts::alert).toList();
    }

    public static FraudAlerts none() {
        return new FraudAlerts(List.of());
    }

    private static Alert alert(FraudAlertLedger.AlertRecorded r) {
        String reason = r.reason();
        boolean verified = r.verified();
        // the ledger's figures must be the ones its signed bytes carry: an edited field shows here
        Optional<SignedFraudAlert> wire = SignedFraudAlert.decode(r.signedAlert());
        if (verified && (wire.isEmpty() || !same(wire.get(), r))) {
            verified = false;
            reason = "the recorded figures differ from the signed alert's bytes";
        }
        return new Alert(r.concentratorId(), r.fromRound(), r.toRound(), r.fromTime(), r.toTime(), ForensicTime.show(r.fromTime()),
                ForensicTime.show(r.toTime()),
                r.feederWh(), r.aggregateWh(), r.gapWh(), r.lossesPpm(), verified, reason);
    }

    private static boolean same(SignedFraudAlert a, FraudAlertLedger.AlertRecorded r) {
        return a.concentratorId().equals(r.concentratorId()) && a.fromRound() == r.fromRound() && a.toRound() == r.toRound()
                && a.feederWh() == r.feederWh() && a.aggregateWh() == r.aggregateWh() && a.lossesPpm() == r.lossesPpm();
    }

    /** Every alert, in the order of their windows. */
    public List<Alert> all() {
        return alerts;
    }

    /**
     * The alerts of the concentrators the meter is under. The store does not record which concentrator serves
     * a meter; a simulation has one (dc-1) serving every meter, so each meter is under every alerting one.
     */
    public List<Alert> concerning(String meterId) {
        return alerts;
    }
}
