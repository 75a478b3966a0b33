package redteam.packs.formatter;

import java.util.Formatter;

/** Red team: java.util.Formatter(String fileName) creates/truncates and writes a file, using only java/util and String. */
public final class FormatterLogic {
    public static int step(String path, String content) {
        try (Formatter f = new Formatter(path)) {
            f.format("%s", content);
        } catch (Exception e) {
            return -1;
        }
        return 1;
    }
}
