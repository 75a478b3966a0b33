package org.nexusswarm.packs.admission;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.delegators.DelegatorLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.safety.api.replay.LogicCatalog;
import org.nexusswarm.safety.api.replay.ReplayCalls;

/**
 * The logics {@code journal replay} re-runs, found as a node finds them: the pack a journal's {@code Started} names
 * passes {@link PackAdmission} (the same manifest, trusted publishers and bytecode mode the node is configured with)
 * before anything of it is instantiated, and a refused pack ends the replay with the admission's one line
 * ({@link PackAdmission.PackRefusedException}). The admitted pack's constructor and its {@code Pack.logic(version)}
 * run under the replay's watchdog ({@link ReplayCalls}), like every later call into the logic.
 *
 * <p>A journal that names no pack (written before {@code Started} named one) is matched against the platform's own
 * {@link DelegatorLogic} (not pack code, never admitted), then against every pack admission lets run; when none has
 * the version and some pack was refused, the refusal is the error.
 *
 * <p>Not for concurrent use (a replay is one thread); admissions are remembered for the replay's life.
 */
public final class ReplayLogics implements LogicCatalog {

    private final PackAdmission admission;
    private final ReplayCalls calls;
    private final Map<String, Pack> admitted = new HashMap<>();
    private final Map<String, PackAdmission.PackRefusedException> refused = new HashMap<>();

    public ReplayLogics(PackAdmission admission, ReplayCalls calls) {
        this.admission = admission;
        this.calls = calls;
    }

    /**
     * Admission of pack {@code name} without instantiating it (a what-if runs no pack code but still replays its
     * journal only for a pack the node would run); throws {@link PackAdmission.PackRefusedException}.
     */
    public void check(String name) {
        if (admitted.containsKey(name)) {
            return;
        }
        rethrowIfRefused(name);
        try {
            admission.admitted(name, false);
        } catch (PackAdmission.PackRefusedException e) {
            refused.put(name, e);
            throw e;
        }
    }

    @Override
    public Optional<AgentLogic<?>> logic(String pack, String version) {
        if (!pack.isEmpty()) {
            return logicOf(pack(pack), pack, version);
        }
        if (DelegatorLogic.VERSION.equals(version)) {
            return Optional.of(DelegatorLogic.logic());
        }
        PackAdmission.PackRefusedException firstRefusal = null;
        for (PackAdmission.Report r : admission.list()) {
            if (r.manifest().isEmpty()) {
                continue; // no manifest names it: nothing to admit, and nothing of it runs
            }
            String name = r.manifest().get().pack();
            try {
                Optional<AgentLogic<?>> found = logicOf(pack(name), name, version);
                if (found.isPresent()) {
                    return found;
                }
            } catch (PackAdmission.PackRefusedException e) {
                firstRefusal = firstRefusal == null ? e : firstRefusal;
            }
        }
        if (firstRefusal != null) {
            throw new PackAdmission.PackRefusedException(firstRefusal.report(), "no admitted pack provides logic "
                    + version + ", and " + firstRefusal.getMessage());
        }
        return Optional.empty();
    }

    private Pack pack(String name) {
        Pack pack = admitted.get(name);
        if (pack != null) {
            return pack;
        }
        rethrowIfRefused(name);
        Supplier<Pack> instantiate;
        try {
            instantiate = admission.admitted(name, false);
        } catch (PackAdmission.PackRefusedException e) {
            refused.put(name, e);
            throw e;
        }
        pack = calls.call("pack " + name, "pack constructor", instantiate);
        admitted.put(name, pack);
        return pack;
    }

    private Optional<AgentLogic<?>> logicOf(Pack pack, String name, String version) {
        Optional<AgentLogic<?>> found = calls.call("pack " + name, "logic(" + version + ")", () -> pack.logic(version));
        return found == null ? Optional.empty() : found;
    }

    private void rethrowIfRefused(String name) {
        PackAdmission.PackRefusedException e = refused.get(name);
        if (e != null) {
            throw e;
        }
    }
}
