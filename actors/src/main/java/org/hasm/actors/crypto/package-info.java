/**
 * The meter's cryptography (DESIGN.md section 7), composed from Bouncy Castle's lightweight API only:
 * no JCA provider is registered and no primitive is written here.
 *
 * <h2>Who holds which key</h2>
 * <table>
 *   <caption>Key inventory; every key is per meter unless it says otherwise (rule P15)</caption>
 *   <tr><th>key</th><th>type</th><th>meter side</th><th>central side</th><th>used by</th></tr>
 *   <tr><td>{@link org.hasm.actors.crypto.ChannelKey}</td><td>AES-128</td><td>CsSecurity</td>
 *       <td>central system</td><td>{@link org.hasm.actors.crypto.GcmFrameSealer},
 *       {@link org.hasm.actors.crypto.GcmFrameOpener}</td></tr>
 *   <tr><td>central-system signing key (one for the fleet)</td><td>Ed25519</td><td>public half, CsSecurity</td>
 *       <td>private half</td><td>{@link org.hasm.actors.crypto.CommandSigner},
 *       {@link org.hasm.actors.crypto.TechnicianCredentialIssuer}</td></tr>
 *   <tr><td>{@link org.hasm.actors.crypto.OffSwitchKeys}</td><td>Ed25519</td>
 *       <td>public half only, OffSwitchSecurity</td><td>private half</td><td>switch commands</td></tr>
 *   <tr><td>{@link org.hasm.actors.crypto.TopUpKey}</td><td>HMAC-SHA256</td><td>CsSecurity</td>
 *       <td>vending (top-up) service</td><td>{@link org.hasm.actors.crypto.TopUpToken}</td></tr>
 *   <tr><td>{@link org.hasm.actors.crypto.MaskingKeys}</td><td>X25519</td><td>DcSecurity</td>
 *       <td>public half in the group roster</td><td>{@link org.hasm.actors.crypto.ZeroSumMasking}</td></tr>
 *   <tr><td>{@link org.hasm.actors.crypto.PaillierKeyPair} (one per aggregation group)</td><td>Paillier-2048</td>
 *       <td>public key, DcSecurity</td><td>private key, the aggregate's reader (not the concentrator)</td>
 *       <td>{@link org.hasm.actors.crypto.PaillierAggregation}</td></tr>
 * </table>
 *
 * <h2>Standards the code is anchored in</h2>
 * <ul>
 *   <li>DLMS/COSEM security suite 1 (IEC 62056-5-3, "Green Book"): AES-GCM-128 frames with
 *       IV = system title ‖ invocation counter.</li>
 *   <li>IEC 62055-41 (STS): meter-specific, single-use top-up tokens with a token-id window.</li>
 *   <li>RFC 8032: Ed25519 signatures for commands and technician credentials.</li>
 *   <li>Kursawe, Danezis, Kohlweiss, "Privacy-friendly aggregation for the smart-grid", PETS 2011:
 *       zero-sum masking from pairwise Diffie-Hellman keys (RFC 7748 X25519, RFC 5869 HKDF).</li>
 *   <li>Paillier, "Public-key cryptosystems based on composite degree residuosity classes",
 *       EUROCRYPT '99 (the paper's reference [3]).</li>
 *   <li>NIST SP 800-90A Hash_DRBG, only for reproducible simulations ({@link
 *       org.hasm.actors.crypto.SimulationRandomness}).</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every key generator takes a {@link java.security.SecureRandom}: pass {@code new SecureRandom()}
 *       in production and {@link org.hasm.actors.crypto.SimulationRandomness#seeded} only in simulations
 *       and tests. {@code java.util.Random} is never used.</li>
 *   <li>Untrusted input never throws: openers, verifiers and acceptors return a typed refusal. Exceptions
 *       mean a programming error on the trusted side (e.g. a counter that must not wrap).</li>
 *   <li>MACs are compared in constant time ({@link org.bouncycastle.util.Arrays#constantTimeAreEqual});
 *       the GCM tag is checked by Bouncy Castle's GCM, which does the same.</li>
 *   <li>Every signed or MACed structure starts with a domain tag ({@code hasm/...}/v1) so that a signature
 *       made for one structure can never be read as another one.</li>
 *   <li>Stateful objects (counters, windows) are owned by one actor and are not thread-safe. Their state
 *       is exported as plain numbers so that the owning module can persist it in its segment.</li>
 * </ul>
 */
package org.hasm.actors.crypto;
