package redteam.packs.random;

/** Red team: a step whose result a replay cannot reproduce. */
public final class RandomLogic {
    public long step(long state) {
        return state + new java.util.Random().nextInt(10) + System.currentTimeMillis();
    }

    public double mathRandom() {
        return Math.random();
    }

    public int unseeded() {
        return new java.util.SplittableRandom().nextInt(10);
    }

    public String uuid() {
        return java.util.UUID.randomUUID().toString();
    }
}
