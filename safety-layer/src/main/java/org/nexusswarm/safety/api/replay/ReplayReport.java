package org.nexusswarm.safety.api.replay;

/**
 * The totals of a determinism replay (the findings themselves were streamed to the caller).
 *
 * @param eventsRead    journal events read
 * @param logicVersions the logic versions replayed, comma-separated in order of first use
 * @param inputsFed     inputs (observations and decision outcomes) fed to the logic
 * @param decisions     recorded intents in the window, each compared with the replay
 * @param matched       recorded intents the replay reproduced exactly
 * @param different     recorded intents the replay emitted differently
 * @param notRecorded   intents the replay emitted that the journal does not record
 * @param notReplayed   recorded intents the replay did not emit
 * @param notReplayable inputs that could not be fed to the logic
 * @param logicFailures inputs on which the logic threw
 * @param droppedAtKill intents emitted just before a kill, which the supervisor drops unjournaled (expected)
 * @param faultsAsRecorded calls that overran the wall-time cap where the journal records the live logic's fault too
 */
public record ReplayReport(long eventsRead, String logicVersions, long inputsFed, long decisions, long matched,
        long different, long notRecorded, long notReplayed, long notReplayable, long logicFailures,
        long droppedAtKill, long faultsAsRecorded) {

    /** Every recorded decision was reproduced and the replay did nothing the journal does not show. */
    public boolean reproduced() {
        return different == 0 && notRecorded == 0 && notReplayed == 0 && logicFailures == 0;
    }

    /** One line for people. */
    public String summary() {
        String inputs = inputsFed + " inputs fed to " + (logicVersions.isEmpty() ? "no logic" : logicVersions);
        String caveat = (notReplayable == 0 ? "" : "; " + notReplayable + " input(s) not replayable (see above), so "
                + "the logic may have seen less than it did")
                + (faultsAsRecorded == 0 ? "" : "; " + faultsAsRecorded + " logic fault(s) reproduced as recorded");
        if (reproduced()) {
            return "Replayed " + eventsRead + " events (" + inputs + "): all " + decisions + " decisions reproduced"
                    + caveat + ".";
        }
        return "Replayed " + eventsRead + " events (" + inputs + "): " + matched + " of " + decisions
                + " decisions reproduced; " + different + " different, " + notRecorded + " replayed but not recorded, "
                + notReplayed + " recorded but not replayed, " + logicFailures + " logic failure(s)" + caveat + ".";
    }
}
