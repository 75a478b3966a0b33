package org.nexusswarm.coordinator.node;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.cluster.ConfigValidation;
import org.apache.pekko.cluster.Invalid;
import org.apache.pekko.cluster.JoinConfigCompatChecker;
import org.apache.pekko.cluster.Valid$;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refuses a node whose message registrations differ from the cluster's (Pekko's join-time configuration check,
 * {@code pekko.cluster.configuration-compatibility-check.checkers.nexus-kryo}): the joining node sends its
 * {@value #KEY}, which {@link SwarmNode#start} sets from {@code SwarmKryo.fingerprint()}, and a mismatch refuses the
 * join with one line naming both fingerprints. The refused node shuts down and {@code swarm node} exits non-zero.
 */
public final class KryoJoinCheck extends JoinConfigCompatChecker {

    public static final String KEY = "nexus.swarm.kryo-fingerprint";

    @Override
    public Seq<String> requiredKeys() {
        return CollectionConverters.asScala(List.of(KEY)).toList();
    }

    @Override
    public ConfigValidation check(Config toCheck, Config actualConfig) {
        String theirs = toCheck.hasPath(KEY) ? toCheck.getString(KEY) : "(none)";
        String ours = actualConfig.hasPath(KEY) ? actualConfig.getString(KEY) : "(none)";
        if (theirs.equals(ours)) {
            return Valid$.MODULE$;
        }
        return new Invalid(CollectionConverters.asScala(List.of("the joining node decodes other message types "
                + "(Kryo fingerprint " + theirs + ") than this cluster (" + ours + "): every node must run the same "
                + "Nexus Swarm build")).toList());
    }
}
