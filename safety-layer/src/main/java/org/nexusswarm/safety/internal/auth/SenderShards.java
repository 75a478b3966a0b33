package org.nexusswarm.safety.internal.auth;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The immutable list of {@link ReplayGuard}'s shards. The guard replaces one shard per accepted envelope; a
 * {@code List.of} list cost a null-checked copy of every shard plus a check that each shard was immutable, a
 * measurable share of a supervisor's per-message cost. This list is built only from immutable shard maps (the
 * guard's {@code with} or {@code Map.copyOf}), so the guard keeps it without checking, and a replacement is one
 * array copy.
 *
 * <p>Not a stored type of its own: Kryo writes it like an immutable JDK list and reads back a {@code List.of} list,
 * which the guard's constructor checks and copies into one of these.
 */
public final class SenderShards extends AbstractList<Map<String, ReplayGuard.SenderWindow>> implements RandomAccess {

    private final Map<String, ReplayGuard.SenderWindow>[] shards;

    private SenderShards(Map<String, ReplayGuard.SenderWindow>[] shards) {
        this.shards = shards;
    }

    /** Immutable copies of {@code given} shards (a null shard becomes empty). */
    @SuppressWarnings("unchecked")
    static SenderShards copyOf(java.util.List<Map<String, ReplayGuard.SenderWindow>> given) {
        Map<String, ReplayGuard.SenderWindow>[] copy = new Map[given.size()];
        for (int i = 0; i < copy.length; i++) {
            Map<String, ReplayGuard.SenderWindow> shard = given.get(i);
            copy[i] = shard == null ? Map.of() : Map.copyOf(shard);
        }
        return new SenderShards(copy);
    }

    /** These shards with shard {@code index} replaced by {@code shard}, an immutable map. */
    SenderShards with(int index, Map<String, ReplayGuard.SenderWindow> shard) {
        Map<String, ReplayGuard.SenderWindow>[] next = Arrays.copyOf(shards, shards.length);
        next[index] = Objects.requireNonNull(shard, "shard");
        return new SenderShards(next);
    }

    @Override
    public Map<String, ReplayGuard.SenderWindow> get(int index) {
        return shards[index];
    }

    @Override
    public int size() {
        return shards.length;
    }
}
