package org.nexusswarm.actors.serialization;

import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.Intent;

/** Kryo ids 100-199: the kernel's protocol types. Never renumber. */
public final class ActorsKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(EntityKind.class, 100);
        r.register(EntityAddress.class, 101);
        r.register(Did.class, 102);
        r.register(SignedEnvelope.class, 103);
        r.register(Deliver.class, 104);
        r.register(Kill.class, 105);
        r.register(GetStatus.class, 106);
        r.register(EntityStatus.class, 107);
        r.register(DeliveryReply.Accepted.class, 108);
        r.register(DeliveryReply.Refused.class, 109);
        r.register(RefusalCode.class, 110);
        r.register(Intent.class, 111);
        // 112, 113 were LogicInput.Inbound/IntentOutcome (the Behavior-based logic API): only ever sent to a
        // local child, never stored, so they were dropped with it. Not to be reused.
        r.register(org.nexusswarm.actors.protocol.RequestRelease.class, 114);
    }
}
