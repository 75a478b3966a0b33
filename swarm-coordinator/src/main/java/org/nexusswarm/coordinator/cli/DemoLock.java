package org.nexusswarm.coordinator.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock that keeps two demos from running against the same data directory at once. The lock
 * dies with the process, so a crashed demo never blocks the next one.
 */
final class DemoLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DemoLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DemoLock acquire(Path dir) {
        Path file = dir.resolve("demo.lock");
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new UserError(ExitCodes.ALREADY_RUNNING, "another swarm demo is already running with data in "
                        + dir + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + ". Wait for it to finish, or give this one its own --data-dir.");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new DemoLock(channel, lock);
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot create the lock file " + file + ": " + e.getMessage()
                    + ". Is the directory writable? Choose another one with --data-dir.");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock is released when the process exits anyway.
        }
    }
}
