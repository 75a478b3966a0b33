package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.internal.approval.ApprovalProof;

/**
 * The supervisor's internal commands cannot come from outside: no code outside the class can construct one (private),
 * and none crosses the serializer (not registered), so neither a remote node nor a sharding {@code tell} from another
 * process can deliver one. Approval decisions arrive only as {@link ApprovalProof}s.
 */
class SupervisorInternalsTest {

    private static final List<String> INTERNAL = List.of("FromChild", "DeliveryAck", "LogicStopped",
            "KillSwitchNotice", "ApprovalExpired", "HeldAtStop");

    @Test
    void internalCommandsArePrivateAndDoNotSerialize() throws Exception {
        for (String name : INTERNAL) {
            Class<?> type = Class.forName(SafetySupervisor.class.getName() + "$" + name);
            assertTrue(Modifier.isPrivate(type.getModifiers()), name + " must be private");
            Constructor<?> constructor = type.getDeclaredConstructors()[0];
            constructor.setAccessible(true); // only a test may do this; an attacker on another node cannot
            Object forged = constructor.newInstance(new Object[constructor.getParameterCount()]);
            assertThrows(UnregisteredTypeException.class, () -> SafetyFixture.PAYLOADS.toBytes(forged),
                    name + " must not be serializable");
        }
    }

    @Test
    void theThrottlesReleaseTickIsPrivateAndDoesNotSerialize() throws Exception {
        Class<?> type = Class.forName(SafetySupervisor.class.getName() + "$ReleaseHeld");
        assertTrue(Modifier.isPrivate(type.getModifiers()), "ReleaseHeld must be private");
        Object tick = type.getEnumConstants()[0];
        assertThrows(UnregisteredTypeException.class, () -> SafetyFixture.PAYLOADS.toBytes(tick),
                "ReleaseHeld must not be serializable");
    }

    @Test
    void aBareDecisionIsNotAnEntityCommand() {
        // A sharding tell takes an EntityCommand: a bare decision cannot even be addressed to a supervisor.
        assertFalse(EntityCommand.class.isAssignableFrom(ApprovalDecided.class));
        assertTrue(EntityCommand.class.isAssignableFrom(ApprovalProof.class));
    }
}
