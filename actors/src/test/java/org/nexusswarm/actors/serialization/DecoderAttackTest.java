package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.DecodeRefusedException.Reason;
import org.nexusswarm.actors.spi.Intent;

/**
 * The attacks of issue 8 ("a few bytes kill a node"), each as the bytes an attacker would send, each refused
 * quickly with its typed reason, and the pooled decoder still right afterwards.
 */
class DecoderAttackTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();
    /** Kryo writes a class id as varint(id + 2). */
    private static final int ENTITY_STATUS = id(EntityStatus.class);
    private static final int ENTITY_ADDRESS = id(EntityAddress.class);
    private static final int SIGNED_ENVELOPE = id(SignedEnvelope.class);
    private static final int INTENT = id(Intent.class);
    private static final int ARRAY_LIST = 24;
    private static final int HASH_MAP = 25;

    private static int id(Class<?> type) {
        return KRYO.registeredClasses().get(type);
    }

    private static byte[] bytes(Consumer<Output> writer) {
        Output out = new Output(64, -1);
        writer.accept(out);
        return out.toBytes();
    }

    /** Refused with {@code reason} within a generous bound (the point is: not minutes, not an Error). */
    private static DecodeRefusedException refused(Reason reason, byte[] bytes) {
        long start = System.nanoTime();
        DecodeRefusedException e = assertThrows(DecodeRefusedException.class, () -> KRYO.fromBytes(bytes));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(millis < 500, "refused in " + millis + " ms");
        return e;
    }

    private static EntityStatus status(String reason) {
        return new EntityStatus(EntityAddress.of(EntityKind.AGENT, "a"), false, 2, 9, reason);
    }

    /** The decoder still reads a genuine message correctly (the refusal left nothing behind). */
    private static void stillDecodes() {
        EntityStatus fine = status("fine é");
        assertEquals(fine, KRYO.fromBytes(KRYO.toBytes(fine)));
    }

    @Test
    void aStringDeclaringTwoBillionCharactersInSixBytesIsRefused() {
        // EntityAddress(kind, id); Kryo writes record components by name, so the id string comes first:
        // the UTF-8 flag and a varint length of about 2^31.
        byte[] attack = bytes(out -> {
            out.writeVarInt(ENTITY_ADDRESS + 2, true);
            out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        });
        assertEquals(6, attack.length);
        DecodeRefusedException e = refused(Reason.LENGTH_EXCEEDS_INPUT, attack);
        assertTrue(e.getMessage().contains("string"), e.getMessage());
        stillDecodes();
    }

    @Test
    void theSixByteStringAloneIsRefusedToo() {
        byte[] attack = bytes(out -> {
            out.writeVarInt(ENTITY_STATUS + 2, true); // components by name: address, denials, lastSequence, ...
            out.writeByte(0); // address: null
            out.writeVarInt(0, false); // denials
            out.writeVarLong(0, false); // lastSequence
            out.writeBoolean(false); // quarantined
            out.writeVarIntFlag(true, Integer.MAX_VALUE, true); // reason: 2^31 - 2 characters
        });
        refused(Reason.LENGTH_EXCEEDS_INPUT, attack);
        stillDecodes();
    }

    /**
     * An Intent whose parameters (a Map component, not final, so written with its class: any registered class
     * is read there before the constructor can object) are an ArrayList holding an ArrayList holding ...
     */
    private static byte[] nestedLists(int depth) {
        return bytes(out -> {
            out.writeVarInt(INTENT + 2, true);
            out.writeString("x.y"); // components by name: actionClass, intentId, parameters, payload, target
            out.writeString("i-1");
            for (int i = 0; i < depth; i++) {
                out.writeVarInt(ARRAY_LIST + 2, true);
                out.writeVarIntFlag(false, 1 + 1, true); // not all one type, one element
            }
            out.writeVarInt(0, true); // the innermost element: null
        });
    }

    @Test
    void aDeeplyNestedCollectionOfFifteenKilobytesIsRefusedWithoutAStackOverflow() {
        byte[] attack = nestedLists(7_500);
        assertTrue(attack.length >= 15_000, attack.length + " bytes");
        DecodeRefusedException e = refused(Reason.TOO_DEEP, attack);
        assertTrue(e.getMessage().contains("deeper than 32"), e.getMessage());
        stillDecodes();
    }

    @Test
    void nestingJustUnderTheLimitIsNotWhatRefusesIt() {
        // 20 levels of lists are fine for the depth limit; the Intent's constructor then rejects a list payload.
        DecodeRefusedException e = refused(Reason.MALFORMED, nestedLists(20));
        assertTrue(!e.getMessage().contains("deeper"), e.getMessage());
    }

    @Test
    void aHugeDeclaredArrayIsRefusedBeforeAllocating() {
        // A SignedEnvelope whose payload byte[] declares 2^31 - 9 bytes.
        byte[] attack = bytes(out -> {
            out.writeVarInt(SIGNED_ENVELOPE + 2, true);
            out.writeVarLong(1, false); // hlc
            out.writeVarLong(1, false); // nonce
            out.writeVarInt(Integer.MAX_VALUE - 8, true); // payload: length + 1
            out.writeByte(1);
        });
        refused(Reason.LENGTH_EXCEEDS_INPUT, attack);
        stillDecodes();
    }

    @Test
    void hugeDeclaredCollectionAndMapLengthsAreRefused() {
        for (int container : new int[] {ARRAY_LIST, HASH_MAP}) {
            byte[] attack = bytes(out -> {
                out.writeVarInt(INTENT + 2, true);
                out.writeString("i-1");
                out.writeString("x.y");
                out.writeVarInt(container + 2, true);
                if (container == ARRAY_LIST) {
                    out.writeVarIntFlag(false, Integer.MAX_VALUE, true);
                } else {
                    out.writeVarInt(Integer.MAX_VALUE, true);
                }
                out.writeByte(2);
            });
            refused(Reason.LENGTH_EXCEEDS_INPUT, attack);
        }
        stillDecodes();
    }

    @Test
    void presizedCollectionsNestedOneInsideTheOtherRunOutOfAllocationBudget() {
        // Each level declares as many elements as the bytes left, which passes the length check, and holds
        // the next level as its first element: without a budget every level presizes ~n references.
        byte[] attack = bytes(out -> {
            out.writeVarInt(INTENT + 2, true);
            out.writeString("i-1");
            out.writeString("x.y");
            for (int i = 0; i < 30; i++) {
                out.writeVarInt(ARRAY_LIST + 2, true);
                out.writeVarIntFlag(false, 60_000 + 1, true);
            }
            for (int i = 0; i < 60_000; i++) {
                out.writeByte(0);
            }
        });
        refused(Reason.TOO_MUCH_ALLOCATION, attack);
        stillDecodes();
    }

    @Test
    void listsOfNullsThatCostNoBytesRunOutOfAllocationBudget() {
        // An ArrayList of lists, each "all elements null" (three bytes declaring up to 1024+ nulls).
        byte[] attack = bytes(out -> {
            out.writeVarInt(INTENT + 2, true);
            out.writeString("i-1");
            out.writeString("x.y");
            out.writeVarInt(ARRAY_LIST + 2, true);
            out.writeVarIntFlag(false, 20_000 + 1, true);
            for (int i = 0; i < 20_000; i++) {
                out.writeVarInt(ARRAY_LIST + 2, true);
                out.writeVarIntFlag(true, 60_000 + 1, true); // same type: the class that follows
                out.writeVarInt(0, true); // ... is null: 60,000 nulls from three bytes
            }
        });
        DecodeRefusedException e = assertThrows(DecodeRefusedException.class, () -> KRYO.fromBytes(attack));
        assertTrue(e.reason() == Reason.TOO_MUCH_ALLOCATION || e.reason() == Reason.LENGTH_EXCEEDS_INPUT,
                e.getMessage());
        stillDecodes();
    }

    @Test
    void aClassNamedInsteadOfRegisteredIsRefusedAndItsNameIsNotRememberedForTheNextMessage() {
        // Stock Kryo reads "class by name" even with registration required, and caches name id 0 -> class on
        // the pooled instance, so a later message could say "name id 0" without naming anything.
        byte[] named = bytes(out -> {
            out.writeVarInt(1, true); // NAME + 2
            out.writeVarInt(0, true); // name id 0
            out.writeString(EntityAddress.class.getName());
            out.writeVarInt(1 + 1, true);
            out.writeString("x");
        });
        byte[] byReference = bytes(out -> {
            out.writeVarInt(1, true);
            out.writeVarInt(0, true); // name id 0, name not repeated
            out.writeVarInt(1 + 1, true);
            out.writeString("x");
        });
        for (int i = 0; i < 3; i++) {
            refused(Reason.UNREGISTERED_TYPE, named);
            refused(Reason.UNREGISTERED_TYPE, byReference);
            stillDecodes();
        }
    }

    @Test
    void aRegisteredTypeThatIsNotAMessageIsRefusedAtTheTopLevel() {
        for (Object notAMessage : List.of("a plain string", new ArrayList<>(List.of("x")), 42L,
                new java.util.HashMap<>(java.util.Map.of("k", "v")), new byte[] {1, 2})) {
            refused(Reason.NOT_A_MESSAGE_TYPE, KRYO.toBytes(notAMessage));
        }
        refused(Reason.NOT_A_MESSAGE_TYPE, new byte[] {0}); // null
        stillDecodes();
    }

    @Test
    void trailingBytesAndOversizedInputsAreRefused() {
        byte[] fine = KRYO.toBytes(status("x"));
        byte[] longer = java.util.Arrays.copyOf(fine, fine.length + 1);
        refused(Reason.MALFORMED, longer);
        refused(Reason.TOO_LARGE, new byte[DecodeLimits.DEFAULT.maxMessageBytes() + 1]);
        stillDecodes();
    }

    @Test
    void objectsThatCostNoBytesRunOutOfTheObjectBudget() {
        SwarmKryo tight = SwarmKryo.with(k -> {}, new DecodeLimits(1 << 20, 32, 50, 1 << 30));
        Intent intent = new Intent("i", "a.b", EntityAddress.of(EntityKind.AGENT, "t"),
                EntityAddress.of(EntityKind.AGENT, "p"));
        byte[] ok = tight.toBytes(intent);
        assertEquals(intent, tight.fromBytes(ok));
        EntityStatus many = status("y".repeat(10));
        // A budget of 50 objects: genuine small messages fit, a list of 60 statuses inside an Intent does not.
        SignedEnvelope envelope = new SignedEnvelope("d", "s", "r", 1, 2, new byte[0], new byte[0]);
        assertEquals(envelope, tight.fromBytes(tight.toBytes(envelope)));
        byte[] overBudget = bytes(out -> {
            out.writeVarInt(INTENT + 2, true);
            out.writeString("i-1");
            out.writeString("x.y");
            out.writeVarInt(ARRAY_LIST + 2, true);
            out.writeVarIntFlag(false, 60 + 1, true);
            for (int i = 0; i < 60; i++) {
                out.writeVarInt(ENTITY_STATUS + 2, true);
                out.writeByte(0);
                out.writeBoolean(false);
                out.writeVarInt(0, false);
                out.writeVarLong(0, false);
                out.writeString(null);
            }
        });
        DecodeRefusedException e = assertThrows(DecodeRefusedException.class, () -> tight.fromBytes(overBudget));
        assertEquals(Reason.TOO_MANY_OBJECTS, e.reason(), e.getMessage());
        assertEquals(many, tight.fromBytes(tight.toBytes(many)));
    }
}
