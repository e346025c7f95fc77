/**
 * DLMS/COSEM (IEC 62056) on the wire, written here and not taken from a GPL library. So far (issue 21): the
 * WRAPPER framing of IEC 62056-47, OBIS logical names, the A-XDR encoding of COSEM data, the xDLMS Initiate
 * request and response, and security suite 0 (glo-ciphering and HLS mechanism 5's GMAC), whose AES-GCM is
 * Bouncy Castle's. Independent implementations (jDLMS, Gurux) are to appear only in tests, as peers.
 */
package org.hasm.actors.link.dlms;
