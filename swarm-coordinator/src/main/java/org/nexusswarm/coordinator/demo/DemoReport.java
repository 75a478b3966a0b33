package org.nexusswarm.coordinator.demo;

import java.util.List;
import java.util.Map;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;

/**
 * What the demo scenario observed, all counted from replies and from the journals read back from Cassandra.
 *
 * @param startedByKind       entities that answered after deployment, per kind
 * @param signalsAccepted     sensor readings accepted by agents
 * @param signalsRefused      sensor readings refused (e.g. by the quarantined rogue)
 * @param forgedRefusal       what a reading with a tampered signature got
 * @param unknownSenderRefusal what a reading signed by a non-admitted key got
 * @param quarantinedRefusal  what a reading to the killed rogue got
 * @param quarantined         entities quarantined at the end
 * @param journalCounts       journaled events per event type, over all entities
 * @param journals            journals read back
 * @param brokenChains        journals whose hash chain did not verify
 * @param alertsRaised        drought alerts allowed and sent to the rail node
 * @param certifiedResults    compute results sent by the orchestrator
 * @param instance            prefix of this run's entity ids
 */
public record DemoReport(
        String instance,
        Map<EntityKind, Integer> startedByKind,
        int signalsAccepted,
        int signalsRefused,
        RefusalCode forgedRefusal,
        RefusalCode unknownSenderRefusal,
        RefusalCode quarantinedRefusal,
        List<String> quarantined,
        Map<String, Long> journalCounts,
        int journals,
        int brokenChains,
        long alertsRaised,
        long certifiedResults) {

    public long count(String eventType) {
        return journalCounts.getOrDefault(eventType, 0L);
    }

    public long totalEvents() {
        return journalCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** E.g. {@code 1 node, 100 agents, 3 delegators, 1 orchestrator}. */
    public String describeStarted() {
        return DemoScenario.describe(startedByKind);
    }

    public int totalStarted() {
        return startedByKind.values().stream().mapToInt(Integer::intValue).sum();
    }
}
