package org.nexusswarm.orchestrators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The quorum check of one replicated computation, as an immutable value: each answer returns a new tally.
 *
 * <p>Each of {@code replicas} delegators answers once, either with a <em>vote</em> (a completed result's
 * output digest and value) or an <em>abstention</em> (not completed, inconsistent, or never dispatched).
 * The first digest to collect {@code quorum} votes is certified, and stays certified: with a quorum of at
 * most half the replicas two digests could both reach it, and the earlier one wins. A second answer from
 * the same delegator is ignored (first answer counts), so a delegator cannot vote twice.
 */
public final class QuorumTally {

    /** A digest backed by a quorum. */
    public record Certificate(String outputDigest, double value, List<String> agreeing) {
        public Certificate {
            agreeing = List.copyOf(agreeing);
        }
    }

    private final int replicas;
    private final int quorum;
    /** Delegator to digest, in answer order. */
    private final Map<String, String> votes;
    private final Set<String> abstentions;
    /** Digest to the value of its first vote (equal digests mean equal rounded values). */
    private final Map<String, Double> values;
    private final String certifiedDigest;

    private QuorumTally(int replicas, int quorum, Map<String, String> votes, Set<String> abstentions,
                        Map<String, Double> values, String certifiedDigest) {
        this.replicas = replicas;
        this.quorum = quorum;
        this.votes = votes;
        this.abstentions = abstentions;
        this.values = values;
        this.certifiedDigest = certifiedDigest;
    }

    /** An empty tally; requires {@code 1 <= quorum <= replicas}. */
    public static QuorumTally of(int replicas, int quorum) {
        if (replicas < 1 || quorum < 1 || quorum > replicas) {
            throw new IllegalArgumentException(
                    "need 1 <= quorum <= replicas, got quorum " + quorum + " of " + replicas);
        }
        return new QuorumTally(replicas, quorum, Map.of(), Set.of(), Map.of(), null);
    }

    /** Records {@code delegator}'s completed answer. */
    public QuorumTally vote(String delegator, String outputDigest, double value) {
        if (hasAnswered(delegator)) {
            return this;
        }
        checkRoom(delegator);
        Map<String, String> v = new LinkedHashMap<>(votes);
        v.put(delegator, outputDigest);
        Map<String, Double> vals = new LinkedHashMap<>(values);
        vals.putIfAbsent(outputDigest, value);
        String certified = certifiedDigest;
        if (certified == null && Collections.frequency(v.values(), outputDigest) >= quorum) {
            certified = outputDigest;
        }
        return new QuorumTally(replicas, quorum, Collections.unmodifiableMap(v), abstentions,
                Collections.unmodifiableMap(vals), certified);
    }

    /** Records that {@code delegator} answered without a usable result. */
    public QuorumTally abstain(String delegator) {
        if (hasAnswered(delegator)) {
            return this;
        }
        checkRoom(delegator);
        Set<String> a = new LinkedHashSet<>(abstentions);
        a.add(delegator);
        return new QuorumTally(replicas, quorum, votes, Collections.unmodifiableSet(a), values, certifiedDigest);
    }

    public boolean hasAnswered(String delegator) {
        return votes.containsKey(delegator) || abstentions.contains(delegator);
    }

    public int answered() {
        return votes.size() + abstentions.size();
    }

    public boolean allAnswered() {
        return answered() == replicas;
    }

    public int replicas() {
        return replicas;
    }

    public int quorum() {
        return quorum;
    }

    /** The certified digest, once a quorum agrees. */
    public Optional<Certificate> certificate() {
        if (certifiedDigest == null) {
            return Optional.empty();
        }
        List<String> agreeing = new ArrayList<>();
        votes.forEach((d, digest) -> {
            if (digest.equals(certifiedDigest)) {
                agreeing.add(d);
            }
        });
        return Optional.of(new Certificate(certifiedDigest, values.get(certifiedDigest), agreeing));
    }

    /** The size of the largest group of equal votes (the certified group once there is one). */
    public int largestAgreement() {
        if (certifiedDigest != null) {
            return Collections.frequency(votes.values(), certifiedDigest);
        }
        int best = 0;
        for (String digest : values.keySet()) {
            best = Math.max(best, Collections.frequency(votes.values(), digest));
        }
        return best;
    }

    /**
     * With a certificate: every delegator that answered anything else (other digest or abstention). Without
     * one there is no majority to dissent from, so only abstainers are named.
     */
    public List<String> dissenters() {
        List<String> out = new ArrayList<>();
        if (certifiedDigest != null) {
            votes.forEach((d, digest) -> {
                if (!digest.equals(certifiedDigest)) {
                    out.add(d);
                }
            });
        }
        out.addAll(abstentions);
        return List.copyOf(out);
    }

    private void checkRoom(String delegator) {
        if (answered() >= replicas) {
            throw new IllegalStateException("all " + replicas + " replicas already answered; unexpected " + delegator);
        }
    }

    @Override
    public String toString() {
        return "QuorumTally{" + quorum + " of " + replicas + ", votes=" + votes + ", abstentions=" + abstentions
                + ", certified=" + certifiedDigest + "}";
    }
}
