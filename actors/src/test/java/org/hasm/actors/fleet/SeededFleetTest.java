package org.hasm.actors.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SystemTitle;
import org.junit.jupiter.api.Test;

/** Keys derived from the seed alone: what lets a central node and a meters node started apart agree. */
class SeededFleetTest {
    private static byte[] sealedBy(ProvisionedMeter meter) {
        return new GcmFrameSealer(meter.csSecurityKeys().channelKey(), SystemTitle.ofMeter(meter.meterId()),
                InvocationCounter.fresh()).seal(FrameKind.READINGS, "electricity,0,900000,1,0".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMeterHasTheSameKeysWhicheverMetersWereDerivedBeforeIt() {
        SeededFleet one = new SeededFleet(5, 10);
        SeededFleet other = new SeededFleet(5, 10);
        ProvisionedMeter first = one.apply("m00007");
        other.apply("m00001"); // another order: no effect on m00007
        other.apply("m00009");
        ProvisionedMeter second = other.apply("m00007");
        assertArrayEquals(sealedBy(first), sealedBy(second), "same channel key, same title, same counter");
        assertEquals(first.csSecurityKeys().commandKey(), second.csSecurityKeys().commandKey());
        assertInstanceOf(Opened.Ok.class, second.openFromMeter(sealedBy(first)));
    }

    @Test
    void anotherSeedOrAnotherMeterHasOtherKeys() {
        byte[] frame = sealedBy(new SeededFleet(5, 10).apply("m00007"));
        assertFalse(Arrays.equals(frame, sealedBy(new SeededFleet(6, 10).apply("m00007"))));
        assertInstanceOf(Opened.Refused.class, new SeededFleet(6, 10).apply("m00007").openFromMeter(frame));
        assertInstanceOf(Opened.Refused.class, new SeededFleet(5, 10).apply("m00008").openFromMeter(frame));
    }

    @Test
    void onlyTheFleetsMetersAreProvisioned() {
        SeededFleet fleet = new SeededFleet(5, 10);
        assertEquals("m00009", SeededFleet.meterId(9));
        assertNull(fleet.apply("m00010"), "one past the fleet");
        assertNull(fleet.apply("x00001"));
        assertNull(fleet.apply("m0001"));
        assertNull(fleet.apply(null));
    }
}
