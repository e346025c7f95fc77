/**
 * DLMS/COSEM (IEC 62056) on the wire, written here and not taken from a GPL library: the WRAPPER framing of
 * IEC 62056-47, OBIS logical names and the A-XDR encoding of COSEM data so far (issue 21). Ciphering is Bouncy Castle's AES-GCM, as for hasm's
 * own frames; independent implementations (jDLMS, Gurux) appear only in tests, as peers.
 */
package org.hasm.actors.link.dlms;
