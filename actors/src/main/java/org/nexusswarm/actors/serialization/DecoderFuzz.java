package org.nexusswarm.actors.serialization;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;

/**
 * Feeds random and mutated bytes to a decoder and measures it: how many inputs per second, the slowest single
 * decode, and whether anything but the typed refusal came out. Used by the fuzz tests and by {@code swarm
 * bench} (through {@link #run(int, long)}).
 *
 * <p>Inputs (up to 64 KiB): random bytes; valid messages with bit flips, interesting byte values, truncation,
 * inflated length fields (a huge varint written or inserted anywhere), splices of two messages, repeated
 * slices (which grow nesting), and deep runs of collection headers. An input whose decode took over 1 ms is
 * measured again after the run (up to five times, keeping the fastest), so a garbage-collection pause or a
 * descheduled thread on a loaded machine is not mistaken for a slow input; both the raw and the re-measured
 * slowest are reported.
 */
public final class DecoderFuzz {

    /** What one decode does with bytes: return a value or throw. */
    @FunctionalInterface
    public interface Decoder {
        Object decode(byte[] bytes) throws Exception;
    }

    /**
     * @param inputs          inputs decoded (warm-up included)
     * @param decoded         inputs that decoded to a message
     * @param byReason        typed refusals per reason
     * @param escaped         anything else that came out (class and message), at most 20; must be empty
     * @param inputsPerSecond decodes per second over the whole run
     * @param slowestNanos    slowest decode after the warm-up, re-measured if over 10 ms
     * @param slowestRawNanos slowest single measurement after the warm-up
     * @param slowestLength   length of the slowest input
     * @param slowestOutcome  what the slowest input decoded to or why it was refused
     * @param seed            the seed (a run is reproducible from it and the corpus)
     */
    public record Result(long inputs, long decoded, Map<DecodeRefusedException.Reason, Long> byReason,
            List<String> escaped, long escapedCount, double inputsPerSecond, long slowestNanos, long slowestRawNanos,
            int slowestLength, String slowestOutcome, long seed) {

        public double slowestMillis() {
            return slowestNanos / 1e6;
        }

        public String summary() {
            return String.format("%d inputs (seed %d): %d decoded, refused %s, %d escaped; %.0f inputs/s; slowest "
                    + "%.2f ms (raw %.2f ms) for %d bytes (%s)", inputs, seed, decoded, byReason, escapedCount,
                    inputsPerSecond, slowestNanos / 1e6, slowestRawNanos / 1e6, slowestLength, slowestOutcome);
        }
    }

    public static final int MAX_INPUT = 64 * 1024;
    private static final long SLOW_NANOS = 10_000_000L;
    /** Decodes slower than this are measured again after the run (genuine ones take microseconds). */
    private static final long RECHECK_NANOS = 1_000_000L;

    private DecoderFuzz() {}

    /** {@code inputs} fuzz inputs from the kernel's own messages into a fresh payload decoder. */
    public static Result run(int inputs, long seed) {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        return run(kernelCorpus(kryo), inputs, seed, kryo::fromBytes);
    }

    /** Valid serialized kernel messages to mutate. */
    public static List<byte[]> kernelCorpus(SwarmKryo kryo) {
        SwarmKeyPair keys = Ed25519.generate();
        EntityAddress agent = EntityAddress.of(EntityKind.AGENT, "agent-7");
        EntityStatus status = new EntityStatus(agent, true, 3, 42, "quarantined: é✓");
        List<Object> messages = List.of(agent, keys.did(), status,
                new DeliveryReply.Accepted("agent:a", 17), new DeliveryReply.Refused("agent:a",
                        RefusalCode.BAD_SIGNATURE, "signature does not verify", 18),
                SignedEnvelope.sign(keys, "agent:a", "agent:b", 7, 99, kryo.toBytes(status)),
                SignedEnvelope.macked(keys.did().value(), "agent:a", "agent:b", 8, 100, kryo.toBytes(agent),
                        new byte[SignedEnvelope.MAC_BYTES]));
        List<byte[]> corpus = new ArrayList<>();
        messages.forEach(m -> corpus.add(kryo.toBytes(m)));
        return corpus;
    }

    /** Fuzzes {@code decoder} with {@code inputs} inputs mutated from {@code corpus}. */
    public static Result run(List<byte[]> corpus, int inputs, long seed, Decoder decoder) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("an empty corpus");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int warmUp = Math.min(5_000, inputs / 20);
        Map<DecodeRefusedException.Reason, Long> byReason = new EnumMap<>(DecodeRefusedException.Reason.class);
        List<String> escaped = new ArrayList<>();
        long escapedCount = 0;
        long decoded = 0;
        long slowest = 0;
        long slowestRaw = 0;
        int slowestLength = 0;
        String slowestOutcome = "";
        List<byte[]> slow = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < inputs; i++) {
            byte[] input = mutate(corpus, random);
            long t0 = System.nanoTime();
            Throwable failure = attempt(decoder, input);
            long took = System.nanoTime() - t0;
            if (failure == null) {
                decoded++;
            } else {
                DecodeRefusedException typed = typed(failure);
                if (typed != null) {
                    byReason.merge(typed.reason(), 1L, Long::sum);
                } else {
                    escapedCount++;
                    if (escaped.size() < 20) {
                        escaped.add(failure.getClass().getName() + ": " + failure.getMessage() + " (input of "
                                + input.length + " bytes, #" + i + ")");
                    }
                }
            }
            if (i < warmUp) {
                continue;
            }
            slowestRaw = Math.max(slowestRaw, took);
            if (took > RECHECK_NANOS && slow.size() < 5_000) {
                slow.add(input); // measured again at the end, away from whatever paused this call
            } else if (took > slowest) {
                slowest = took;
                slowestLength = input.length;
                slowestOutcome = outcome(failure);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (byte[] input : slow) {
            long took = Long.MAX_VALUE;
            Throwable failure = null;
            for (int again = 0; again < 5 && took > RECHECK_NANOS; again++) {
                Thread.yield();
                long t1 = System.nanoTime();
                failure = attempt(decoder, input);
                took = Math.min(took, System.nanoTime() - t1);
            }
            if (took > slowest) {
                slowest = took;
                slowestLength = input.length;
                slowestOutcome = outcome(failure);
            }
        }
        return new Result(inputs, decoded, byReason, List.copyOf(escaped), escapedCount, inputs / seconds, slowest,
                slowestRaw, slowestLength, slowestOutcome, seed);
    }

    private static String outcome(Throwable failure) {
        String text = failure == null ? "decoded" : String.valueOf(failure.getMessage());
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    // Catching Throwable is the point here: the harness records whatever escapes instead of dying of it.
    @SuppressWarnings("PMD.AvoidCatchingThrowable")
    private static Throwable attempt(Decoder decoder, byte[] input) {
        try {
            decoder.decode(input);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The typed refusal, directly or as the cause Pekko's NotSerializableException carries. */
    private static DecodeRefusedException typed(Throwable t) {
        if (t instanceof DecodeRefusedException d) {
            return d;
        }
        if (t instanceof java.io.NotSerializableException && t.getCause() instanceof DecodeRefusedException d) {
            return d;
        }
        return null;
    }

    private static final byte[] INTERESTING = {0, 1, 2, (byte) 0x7F, (byte) 0x80, (byte) 0x81, (byte) 0xFF, 26, 27};

    /** One fuzz input. */
    static byte[] mutate(List<byte[]> corpus, SplittableRandom r) {
        byte[] base = corpus.get(r.nextInt(corpus.size())).clone();
        int kind = r.nextInt(100);
        byte[] out;
        if (kind < 8) { // random bytes, mostly short
            out = new byte[r.nextInt(10) == 0 ? r.nextInt(MAX_INPUT + 1) : r.nextInt(64)];
            r.nextBytes(out);
        } else if (kind < 28) { // bit flips
            out = base;
            for (int n = 1 + r.nextInt(8); n > 0 && out.length > 0; n--) {
                out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
            }
        } else if (kind < 40) { // interesting values
            out = base;
            for (int n = 1 + r.nextInt(4); n > 0 && out.length > 0; n--) {
                out[r.nextInt(out.length)] = INTERESTING[r.nextInt(INTERESTING.length)];
            }
        } else if (kind < 50) { // truncation
            out = java.util.Arrays.copyOf(base, base.length == 0 ? 0 : r.nextInt(base.length));
        } else if (kind < 65) { // length inflation: a huge varint written over or inserted at any position
            byte[] varint = hugeVarint(r);
            int at = r.nextInt(base.length + 1);
            out = r.nextBoolean() ? insert(base, at, varint) : overwrite(base, at, varint);
        } else if (kind < 75) { // splice two messages
            byte[] other = corpus.get(r.nextInt(corpus.size()));
            int cut = r.nextInt(base.length + 1);
            int from = r.nextInt(other.length + 1);
            out = concat(java.util.Arrays.copyOf(base, cut), java.util.Arrays.copyOfRange(other, from, other.length));
        } else if (kind < 87) { // repeat a slice many times (nesting, long inputs)
            int a = r.nextInt(base.length + 1);
            int b = Math.min(base.length, a + 1 + r.nextInt(16));
            byte[] slice = java.util.Arrays.copyOfRange(base, a, b);
            int times = 1 + r.nextInt(slice.length == 0 ? 1 : Math.max(1, MAX_INPUT / Math.max(1, slice.length) / 4));
            byte[] repeated = new byte[Math.min(MAX_INPUT - base.length, slice.length * times)];
            for (int i = 0; i < repeated.length; i++) {
                repeated[i] = slice[i % slice.length];
            }
            out = insert(base, b, repeated);
        } else if (kind < 95) { // a run of collection headers (ArrayList, HashMap, List.of) inside a message
            int at = r.nextInt(base.length + 1);
            int depth = 1 + r.nextInt(r.nextBoolean() ? 40 : 8_000);
            byte[] run = new byte[depth * 2];
            for (int i = 0; i < depth; i++) {
                run[2 * i] = (byte) (24 + 2 + r.nextInt(5)); // ids 24..28
                run[2 * i + 1] = (byte) (r.nextBoolean() ? 2 : 1 + r.nextInt(4));
            }
            out = insert(base, at, run);
        } else { // random bytes inserted
            byte[] noise = new byte[1 + r.nextInt(32)];
            r.nextBytes(noise);
            out = insert(base, r.nextInt(base.length + 1), noise);
        }
        return out.length > MAX_INPUT ? java.util.Arrays.copyOf(out, MAX_INPUT) : out;
    }

    private static byte[] hugeVarint(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
            case 1 -> new byte[] {(byte) 0xF7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
            case 2 -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
            default -> new byte[] {(byte) (0x80 | r.nextInt(128)), (byte) (0x80 | r.nextInt(128)),
                (byte) r.nextInt(128)};
        };
    }

    private static byte[] insert(byte[] base, int at, byte[] what) {
        byte[] out = new byte[base.length + what.length];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(base, at, out, at + what.length, base.length - at);
        return out;
    }

    private static byte[] overwrite(byte[] base, int at, byte[] what) {
        byte[] out = java.util.Arrays.copyOf(base, Math.max(base.length, at + what.length));
        System.arraycopy(what, 0, out, at, what.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return insert(a, a.length, b);
    }
}
