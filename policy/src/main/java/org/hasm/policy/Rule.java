package org.hasm.policy;

/**
 * The meter's information-flow rules (DESIGN section 4). P1–P10 are properties of the policy graph
 * and are proved by {@link org.hasm.policy.verify.PolicyVerifier}; P11–P16 are behaviour, enforced by
 * the parts and tested there.
 */
public enum Rule {
    P1("default deny: only explicitly listed (sender, receiver, type) flows are delivered; no wildcards"),
    P2("only OffSwitchSecurity sends to OffSwitch"),
    P3("CreditBalance reaches OffSwitch only through OffSwitchSecurity, and asks it only ZeroCredit/CreditRestored"),
    P4("only Communications exchanges messages with external parties"),
    P5("Communications hands inbound messages only to security modules"),
    P6("outbound messages reach Communications only from security modules"),
    P7("HAN is a data diode: nothing from HanGateway; only consumption, tariffs, credit, appliance switching to it"),
    P8("each segment is written only by its owner module and answers only it; no part writes two logs"),
    P9("CS and DC flows are separate: no edge between CsSecurity and DcSecurity or their segments"),
    P10("OffSwitchSecurity accepts only Communications, CreditBalance, Display, Clock and its own OffSwitchLog"),
    P11("every command received is logged in the right segment before it takes effect, valid or not"),
    P12("a remote switch-on takes effect only after local confirmation"),
    P13("load balancing is reasonable: bounded appliance switch-offs per week, minimum interval between changes"),
    P14("the concentrator learns only aggregates over at least k meters, never one meter's reading"),
    P15("keys are per meter: one meter's keys give no power over any other meter"),
    P16("bulk switch-off is rate-limited and needs an operator quorum; every attempt is logged");

    private final String statement;

    Rule(String statement) {
        this.statement = statement;
    }

    public String statement() {
        return statement;
    }

    /** Rules that are properties of the policy graph alone. */
    public boolean isStatic() {
        return ordinal() <= P10.ordinal();
    }
}
