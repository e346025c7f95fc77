package org.hasm.actors.concentrator;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.slf4j.Logger;

/**
 * Fraud detection's outcome for one concentrator: it feeds the {@link FeederComparison} the feeder's energy and
 * the groups' totals, counts its verdicts, and turns a persistent gap into a {@link SignedFraudAlert} for the
 * central system. Kept apart from the comparison so that stays free of keys and messages, and apart from the
 * actor so aggregation can hand it totals directly. Not thread-safe: owned by one actor.
 */
final class FraudWatch implements AggregationRounds.Totals {
    private final String concentratorId;
    private final SigningKeys alertKey;
    private final long lossesPpm;
    private final FeederComparison comparison;
    /** The alerts' current destination (it moves with a resumed simulation's driver). */
    private final Consumer<FraudAlert> alerts;
    /** The actor's logger, asked for at each line as the actor itself does. */
    private final Supplier<Logger> log;
    private long intervalsHonest;
    private long intervalsSuspicious;
    private long intervalsInconclusive;
    private long alertsRaised;

    FraudWatch(DataConcentrator.Settings settings, int groups, SigningKeys alertKey, Consumer<FraudAlert> alerts,
               Supplier<Logger> log) {
        this.concentratorId = settings.concentratorId();
        this.alertKey = alertKey;
        this.lossesPpm = Math.round(settings.technicalLosses() * 1_000_000);
        this.comparison = new FeederComparison(groups, settings.technicalLosses(), settings.alertThreshold(),
                settings.alertAfter());
        this.alerts = alerts;
        this.log = log;
    }

    void feeder(long round, long energyWh) {
        judge(comparison.feeder(round, energyWh));
    }

    @Override
    public void total(long round, String group, long totalWh, boolean complete) {
        judge(comparison.groupTotal(round, group, totalWh, complete));
    }

    @Override
    public void withheld(long round, String group) {
        judge(comparison.groupWithheld(round, group));
    }

    private void judge(List<FeederComparison.Verdict> verdicts) {
        for (FeederComparison.Verdict v : verdicts) {
            switch (v.outcome()) {
                case HONEST -> intervalsHonest++;
                case SUSPICIOUS -> intervalsSuspicious++;
                case INCONCLUSIVE -> intervalsInconclusive++;
            }
            v.alert().ifPresent(this::alert);
        }
    }

    private void alert(FeederComparison.Streak s) {
        alertsRaised++;
        SignedFraudAlert alert = SignedFraudAlert.sign(alertKey, concentratorId, s.fromRound(), s.toRound(),
                s.feederWh(), s.aggregateWh(), lossesPpm);
        log.get().warn("{}: energy unaccounted for: {}", concentratorId, alert);
        alerts.accept(new FraudAlert(concentratorId, alert.encode()));
    }

    long intervalsHonest() {
        return intervalsHonest;
    }

    long intervalsSuspicious() {
        return intervalsSuspicious;
    }

    long intervalsInconclusive() {
        return intervalsInconclusive;
    }

    long alerts() {
        return alertsRaised;
    }
}
