package redteam.packs.file;

/** Red team: reads the node's files. */
public final class FileLogic {
    public String step(String state) throws Exception {
        try (java.io.FileInputStream in = new java.io.FileInputStream("/etc/passwd")) {
            return state + in.read();
        }
    }

    public String viaNio(String state) throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of(".nexus/keys/node.bcfks"));
    }
}
