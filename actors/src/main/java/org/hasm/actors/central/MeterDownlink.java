package org.hasm.actors.central;

import org.hasm.actors.cluster.WireMessage;

/** What the central system sends towards meters, through the concentrator's downlink. */
public final class MeterDownlink {
    private MeterDownlink() {
    }

    /** Which security module of the meter the frame is for. */
    public enum Route {
        /** A GCM frame (command, acknowledgement) for CsSecurity: deliver as {@code FrameFromCentralSystem}. */
        CS_SECURITY,
        /** A signed switch command for OffSwitchSecurity: deliver as {@code SwitchCommandFrame}. */
        OFF_SWITCH_SECURITY
    }

    /**
     * One frame for one meter. {@code at} (epoch millis, simulated) is when the central system sent it; bulk
     * switch commands carry their randomised per-meter time here (DESIGN 8), so deliver it no earlier.
     */
    public record FrameToMeter(String meterId, Route route, byte[] frame, long at) implements WireMessage {
    }
}
