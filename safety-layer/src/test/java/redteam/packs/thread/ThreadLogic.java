package redteam.packs.thread;

/** Red team: keeps running after its step returned. */
public final class ThreadLogic {
    public int step(int state) {
        new Thread(() -> { }).start();
        return state;
    }
}
