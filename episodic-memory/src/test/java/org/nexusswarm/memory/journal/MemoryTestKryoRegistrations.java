package org.nexusswarm.memory.journal;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 9100-9199: episodic-memory's test messages. */
public final class MemoryTestKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(Diary.Write.class, 9100);
        r.register(Diary.WriteForged.class, 9101);
        r.register(Diary.Written.class, 9102);
        r.register(Diary.Entry.class, 9103);
        r.register(Diary.Head.class, 9104);
        r.register(org.nexusswarm.memory.verify.SyntheticJournal.Note.class, 9110);
        r.register(org.nexusswarm.memory.verify.SyntheticJournal.Seal.class, 9111);
        r.register(Diary.WriteAt.class, 9105);
        r.register(Diary.Begin.class, 9106);
        r.register(Diary.Begun.class, 9107);
    }
}
