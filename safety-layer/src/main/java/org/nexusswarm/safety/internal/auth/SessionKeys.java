package org.nexusswarm.safety.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * One entity's X25519 key pair and the pairwise session keys it derives from it, so the hot path can
 * authenticate envelopes with HMAC-SHA256 instead of an Ed25519 verify per message.
 *
 * <p>The session key of (sender -> receiver) is HKDF-SHA256 over the X25519 shared secret of the two, with
 * info {@code "nexus-session-v1|" + sender + "|" + receiver}: both ends derive the same key, and each direction
 * and each pair gets its own. Keys are derived once per peer (and peer public key) and cached; the cache
 * holds at most {@link #DEFAULT_CACHE_CAPACITY} keys by default, dropping an arbitrary entry when full (a
 * dropped key is simply derived again).
 *
 * <p>The peer's X25519 public key must be authentic: take it from {@link PeerKeys}, which admits only
 * {@link SessionKeyAnnouncement}s signed by the peer's admitted DID. Thread-safe. {@link #toString()} does not
 * print the private key; the private key is never serialized.
 */
public final class SessionKeys {

    /** Bytes of an X25519 key, a session key and an HMAC-SHA256 tag. */
    public static final int KEY_BYTES = 32;
    public static final int DEFAULT_CACHE_CAPACITY = 4096;
    private static final String INFO_PREFIX = "nexus-session-v1|";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String self;
    private final X25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final int capacity;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    private SessionKeys(String self, X25519PrivateKeyParameters privateKey, int capacity) {
        if (self == null || self.isEmpty()) {
            throw new IllegalArgumentException("session keys belong to a named entity");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("the session key cache needs room for at least one key");
        }
        this.self = self;
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.capacity = capacity;
    }

    /** A fresh X25519 key pair for entity {@code self} (e.g. {@code agent:x}). */
    public static SessionKeys generate(String self) {
        X25519KeyPairGenerator generator = new X25519KeyPairGenerator();
        generator.init(new X25519KeyGenerationParameters(RANDOM));
        return new SessionKeys(self, (X25519PrivateKeyParameters) generator.generateKeyPair().getPrivate(),
                DEFAULT_CACHE_CAPACITY);
    }

    /** Rebuilds the keys of {@code self} from a raw 32-byte X25519 private key. */
    public static SessionKeys of(String self, byte[] x25519PrivateKey) {
        return of(self, x25519PrivateKey, DEFAULT_CACHE_CAPACITY);
    }

    public static SessionKeys of(String self, byte[] x25519PrivateKey, int cacheCapacity) {
        if (x25519PrivateKey == null || x25519PrivateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key has " + KEY_BYTES + " bytes");
        }
        return new SessionKeys(self, new X25519PrivateKeyParameters(x25519PrivateKey, 0), cacheCapacity);
    }

    public String self() {
        return self;
    }

    /** The raw 32-byte X25519 public key, to announce to peers. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key for envelopes this entity sends to {@code receiver}, whose X25519 public key is given. */
    public byte[] sendingKey(String receiver, byte[] receiverPublicKey) {
        return cached('>', receiver, receiverPublicKey, self, receiver);
    }

    /** The key for envelopes {@code sender}, whose X25519 public key is given, sends to this entity. */
    public byte[] receivingKey(String sender, byte[] senderPublicKey) {
        return cached('<', sender, senderPublicKey, sender, self);
    }

    /** Keys currently cached (at most the capacity, give or take concurrent insertions). */
    public int cachedKeys() {
        return cache.size();
    }

    private byte[] cached(char direction, String peer, byte[] peerPublicKey, String sender, String receiver) {
        if (peer == null || peer.isEmpty()) {
            throw new IllegalArgumentException("a session key needs a named peer");
        }
        if (peerPublicKey == null || peerPublicKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 public key has " + KEY_BYTES + " bytes");
        }
        // The peer's public key is part of the cache key: a peer that rotates its key gets a fresh session key.
        String cacheKey = direction + Base64.getEncoder().encodeToString(peerPublicKey) + peer;
        byte[] key = cache.get(cacheKey);
        if (key == null) {
            key = sessionKey(agree(peerPublicKey), sender, receiver);
            if (cache.size() >= capacity) {
                Iterator<String> it = cache.keySet().iterator();
                if (it.hasNext()) {
                    cache.remove(it.next());
                }
            }
            cache.put(cacheKey, key);
        }
        return key.clone();
    }

    private byte[] agree(byte[] peerPublicKey) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(privateKey);
        byte[] secret = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), secret, 0);
        } catch (IllegalStateException e) {
            // Bouncy Castle refuses low-order points, whose shared secret would be all zeros.
            throw new IllegalArgumentException("the peer's X25519 public key is not usable: " + e.getMessage(), e);
        }
        return secret;
    }

    /** HKDF-SHA256 of {@code sharedSecret} with info {@code "nexus-session-v1|sender|receiver"}: 32 bytes. */
    public static byte[] sessionKey(byte[] sharedSecret, String sender, String receiver) {
        if (sharedSecret == null || sharedSecret.length == 0) {
            throw new IllegalArgumentException("no shared secret");
        }
        byte[] info = (INFO_PREFIX + sender + "|" + receiver).getBytes(StandardCharsets.UTF_8);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, null, info));
        byte[] key = new byte[KEY_BYTES];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    /** HMAC-SHA256 of {@code data} under {@code key}: a 32-byte tag. */
    public static byte[] mac(byte[] key, byte[] data) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("no MAC key");
        }
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] tag = new byte[hmac.getMacSize()];
        hmac.doFinal(tag, 0);
        return tag;
    }

    /** True only when {@code tag} is the MAC of {@code data} under {@code key}; compared in constant time. */
    public static boolean verify(byte[] key, byte[] data, byte[] tag) {
        if (key == null || key.length == 0 || data == null || tag == null || tag.length != KEY_BYTES) {
            return false;
        }
        return MessageDigest.isEqual(mac(key, data), tag);
    }

    /**
     * HMAC-SHA256 under one key, with the digest states after the key's inner and outer pads computed once:
     * each tag then costs the data's blocks and one outer block, not two more for the pads. Gives exactly
     * {@link #mac}'s tags. Immutable and thread-safe (each tag starts from copies of the states).
     */
    public static final class PreparedMac {
        private static final int BLOCK = 64;
        private final SHA256Digest inner;
        private final SHA256Digest outer;

        public PreparedMac(byte[] key) {
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("no MAC key");
            }
            byte[] k = key;
            if (k.length > BLOCK) {
                SHA256Digest d = new SHA256Digest();
                d.update(k, 0, k.length);
                k = new byte[d.getDigestSize()];
                d.doFinal(k, 0);
            }
            byte[] ipad = new byte[BLOCK];
            byte[] opad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                ipad[i] = (byte) (b ^ 0x36);
                opad[i] = (byte) (b ^ 0x5c);
            }
            inner = new SHA256Digest();
            inner.update(ipad, 0, BLOCK);
            outer = new SHA256Digest();
            outer.update(opad, 0, BLOCK);
        }

        /** HMAC-SHA256 of {@code data}: a 32-byte tag. */
        public byte[] mac(byte[] data) {
            SHA256Digest in = new SHA256Digest(inner);
            in.update(data, 0, data.length);
            byte[] tag = new byte[KEY_BYTES];
            in.doFinal(tag, 0);
            SHA256Digest out = new SHA256Digest(outer);
            out.update(tag, 0, tag.length);
            out.doFinal(tag, 0);
            return tag;
        }

        /** True only when {@code tag} is the MAC of {@code data}; compared in constant time. */
        public boolean verify(byte[] data, byte[] tag) {
            if (data == null || tag == null || tag.length != KEY_BYTES) {
                return false;
            }
            return MessageDigest.isEqual(mac(data), tag);
        }
    }

    @Override
    public String toString() {
        return "SessionKeys(" + self + ")";
    }
}
