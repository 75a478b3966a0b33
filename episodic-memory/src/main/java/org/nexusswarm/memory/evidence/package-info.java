/**
 * Assurance &amp; Evidence Packs (AEP): one sealed JSON document holding a window of an episode journal with
 * everything needed to check it offline, with no cluster and no Cassandra.
 *
 * <h2>Format {@code nexus-aep/1}</h2>
 * Top-level fields, always in this order (the exporter writes them so; readers must not rely on it):
 * <ul>
 *   <li>{@code format}: {@value org.nexusswarm.memory.evidence.EvidencePack#FORMAT}.</li>
 *   <li>{@code subject}: {@code persistenceId}, {@code entity} ({@code kind:id}), {@code requestedFrom} /
 *       {@code requestedTo} (ISO-8601 instants or null: what the exporter was asked for), {@code firstSeq} /
 *       {@code lastSeq} (what the pack holds: the window widened to whole checkpoint ranges),
 *       {@code exportedAt}.</li>
 *   <li>{@code events}: contiguous, ascending by {@code seq}; each with its chronotope fields ({@code seq,
 *       wallTimeMillis, wallTime, hlc, place, causes, policyVersion, logicVersion, inputDigest}), {@code type},
 *       {@code details}, {@code previousHash}, {@code hash} and the exact {@code canonicalForm} the hash
 *       covers: {@code hash = sha256(previousHash + "\n" + canonicalForm)}. The verifier also checks that
 *       {@code canonicalForm} starts with the chronotope, type and details shown, so what a reviewer reads is
 *       what was hashed.</li>
 *   <li>{@code checkpoints}: {@code seq} (of the checkpoint event), {@code fromSeq}, {@code toSeq},
 *       {@code merkleRoot} (RFC 6962 over the event hashes), {@code nodeDid}, {@code signature} (Ed25519 over
 *       {@link org.nexusswarm.memory.checkpoint.CheckpointEvent#statement}). Only checkpoints whose whole range
 *       is in the pack are listed.</li>
 *   <li>{@code signers}: the node DIDs of those checkpoints, sorted.</li>
 *   <li>{@code credentials}: the credentials in force (as journaled when the logic started): {@code id},
 *       {@code journaledAtSeq}, {@code sha256}, {@code json}.</li>
 *   <li>{@code policies}: optional policy texts of the versions the events cite: {@code version}
 *       ({@code rail:drought-watch@3}), {@code sha256}, {@code text}. May be empty.</li>
 *   <li>{@code inclusionProofs}: always empty in this version: reserved for the inclusion proofs of the
 *       results an agent acted on, once orchestrators build proof trees.</li>
 *   <li>{@code seal}: {@code sha256} over the canonical bytes of every field above (see
 *       {@link org.nexusswarm.memory.evidence.CanonicalJson}), and optionally {@code exporterDid} and
 *       {@code signature} (Ed25519 over {@link org.nexusswarm.memory.evidence.EvidencePack#sealStatement}).</li>
 * </ul>
 *
 * <p>What vouches for what: the hash chain and the node-signed checkpoints vouch for the events; the seal
 * only shows the pack is intact since export (anyone can recompute it) unless it is signed by an exporter the
 * reader trusts. Policy texts and credentials journaled outside the pack's events are vouched for by the seal
 * only; the verifier says so.
 */
package org.nexusswarm.memory.evidence;
