package org.hasm.actors.link;

/**
 * Which of a meter's security modules a frame from the central system is for, and which one a frame the
 * central system opened came through (the paper's Fig. 1: CS security for the central system's flow, the
 * off-switch security module on the second processor for switch commands).
 */
public enum SecurityModule {
    /** A GCM frame (command, acknowledgement) for CsSecurity; the meter takes it as {@code FrameFromCentralSystem}. */
    CS_SECURITY,
    /** A signed switch command for OffSwitchSecurity; the meter takes it as {@code SwitchCommandFrame}. */
    OFF_SWITCH_SECURITY
}
