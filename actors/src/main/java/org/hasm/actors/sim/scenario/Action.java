package org.hasm.actors.sim.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Optional;
import org.hasm.actors.meter.Tariff;
import org.hasm.policy.Part;

/**
 * What happens at a moment of a scenario's timeline: an operator's action or an attack. Meters are named
 * by their number in the neighbourhood, 0 for the first household ({@code m00000}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Action.OperatorBulkSwitchOff.class, name = "operator-bulk-switch-off"),
        @JsonSubTypes.Type(value = Action.Theft.class, name = "theft"),
        @JsonSubTypes.Type(value = Action.LogFlood.class, name = "log-flood"),
        @JsonSubTypes.Type(value = Action.TopUp.class, name = "top-up"),
        @JsonSubTypes.Type(value = Action.TariffChange.class, name = "tariff-change"),
        @JsonSubTypes.Type(value = Action.CompromisedModule.class, name = "compromised-module"),
        @JsonSubTypes.Type(value = Action.TamperingConcentrator.class, name = "tampering-concentrator")})
public sealed interface Action {
    /** The name a scenario file uses, e.g. {@code operator-bulk-switch-off}. */
    String name();

    /** The action names a scenario file may use, in the order the docs list them. */
    List<String> NAMES = List.of("operator-bulk-switch-off", "theft", "log-flood", "top-up", "tariff-change",
            "compromised-module", "tampering-concentrator");

    /** The meter id the neighbourhood gives household {@code number}. */
    static String meterId(int number) {
        return String.format("m%05d", number);
    }

    /**
     * An operator asks the central system to switch off many meters at once (P16: rate-limited, needs a
     * quorum of approvals for a large set, every attempt logged).
     *
     * @param meters    how many meters; empty for all of them
     * @param operator  whose credential signs the request (a stolen one in blackout-attack)
     * @param approvals the other operators who approved it
     */
    record OperatorBulkSwitchOff(Optional<Integer> meters, String operator, List<String> approvals) implements Action {
        public OperatorBulkSwitchOff {
            approvals = List.copyOf(approvals);
        }

        public String name() {
            return "operator-bulk-switch-off";
        }

        /** How many meters the request names in a neighbourhood of {@code total}. */
        public int count(int total) {
            return meters.map(n -> Math.min(n, total)).orElse(total);
        }
    }

    /**
     * A household bypasses its meter: from the event's time until {@code until} (the end of the run when
     * empty) the meter sees only {@code 1 - fraction} of what the feeder meter measures for it.
     */
    record Theft(int meter, double fraction, Optional<ScenarioTime> until) implements Action {
        public String name() {
            return "theft";
        }
    }

    /** Someone floods one meter with {@code commands} commands (valid or not): every one must be logged (P11). */
    record LogFlood(int meter, int commands) implements Action {
        public String name() {
            return "log-flood";
        }
    }

    /** The consumer of {@code meter} buys credit: the central system issues a top-up token worth {@code cents}. */
    record TopUp(int meter, long cents) implements Action {
        public String name() {
            return "top-up";
        }
    }

    /**
     * The central system sends every meter a new time-of-use tariff: {@code peak} from hour {@code peakFrom}
     * to hour {@code peakTo} (UTC), {@code offPeak} otherwise, prices in milli-cents per kWh.
     */
    record TariffChange(long offPeak, long peak, int peakFrom, int peakTo) implements Action {
        public String name() {
            return "tariff-change";
        }

        public Tariff tariff() {
            return Tariff.timeOfUse(offPeak, peak, peakFrom, peakTo);
        }
    }

    /** One software module of {@code meter} is compromised: it sends whatever it likes; the kernel must drop it. */
    record CompromisedModule(int meter, Part part) implements Action {
        public String name() {
            return "compromised-module";
        }
    }

    /** The concentrator edits or replays {@code count} frames for the central system, which must detect every one. */
    record TamperingConcentrator(Mode mode, int count) implements Action {
        public enum Mode { EDIT, REPLAY }

        public String name() {
            return "tampering-concentrator";
        }
    }
}
