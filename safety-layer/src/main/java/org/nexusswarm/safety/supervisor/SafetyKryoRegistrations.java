package org.nexusswarm.safety.supervisor;

import org.nexusswarm.actors.serialization.KryoRegistrations;
import org.nexusswarm.safety.credential.Credential;

/** Kryo ids 300-399: safety events, supervisor state and internal commands. Never renumber. */
public final class SafetyKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(SafetyEvent.Observed.class, 300);
        r.register(SafetyEvent.Refused.class, 301);
        r.register(SafetyEvent.ActionProposed.class, 302);
        r.register(SafetyEvent.ActionAllowed.class, 303);
        r.register(SafetyEvent.ActionDenied.class, 304);
        r.register(SafetyEvent.Killed.class, 305);
        r.register(SupervisorState.Active.class, 320);
        r.register(SupervisorState.Quarantined.class, 321);
        r.register(SupervisorState.ChainHead.class, 322);
        r.register(SafetySupervisor.FromChild.class, 340);
        r.register(SafetySupervisor.DeliveryAck.class, 341);
        r.register(SafetySupervisor.LogicStopped.class, 342);
        r.register(Credential.class, 360);
    }
}
