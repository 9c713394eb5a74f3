package io.omnitest.faultfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jnr.ffi.Pointer;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The FUSE filesystem: a pass-through to a backing dir that injects the {@link Faults} of the
 * moment. Writes go through the {@link PageCache} while {@code lazy} is on, straight to the
 * backing file otherwise. Every operation holds this object's lock except the fsync delay, so a
 * control command is applied between operations, never within one.
 *
 * <p>A {@code cut} is the moment the power fails, before the node is killed and its unsynced
 * writes dropped: an fsync that has not returned by then must not make anything durable (a
 * killed process's fsync would otherwise still complete here, in the filesystem's thread, and the
 * writes it covers survive the crash). So from the cut on, every operation that changes the disk
 * (those in the fsync delay included) waits in {@link #outlastedCut} until the cut ends and then
 * fails with EIO; the killed process waits with it, and is gone once the {@code drop} ends the cut.
 *
 * <p>No file handles are kept: each operation opens the backing file by path (the SUT writes one
 * batch per event-loop round, so this costs little). POSIX locks are left to the kernel.
 */
public final class FaultFs extends FuseStubFS {
    private final Path root;
    private final Consumer<String> log;
    private final PageCache cache;
    private volatile Faults faults = Faults.NONE;
    /** A {@code cut} is on (guarded by this). */
    private boolean cut;
    /** Operations waiting for the cut to end (guarded by this). */
    private int waitingOnCut;

    public FaultFs(Path backingRoot, Consumer<String> log) {
        this.root = backingRoot.toAbsolutePath().normalize();
        this.log = log;
        this.cache = new PageCache(new DiskBacking(this::backing));
    }

    /** Applies one control line; returns the reply line. */
    public synchronized String control(String line) {
        ControlCommand.Result r = ControlCommand.apply(faults, line);
        if (r.action() == ControlCommand.Action.CUT) {
            cut = true;
            log.accept("faultfs: cut: nothing reaches the disk until the drop");
            return r.reply();
        }
        if (cut
                && (r.action() == ControlCommand.Action.DROP
                        || r.action() == ControlCommand.Action.FLUSH
                        || r.action() == ControlCommand.Action.CLEAR)) {
            cut = false;
            notifyAll();
        }
        try {
            if (r.action() == ControlCommand.Action.DROP) {
                long lost = cache.heldBytes();
                cache.drop();
                log.accept("faultfs: dropped " + lost + " unsynced bytes");
                return "ok dropped " + lost + " bytes";
            }
            if (r.action() == ControlCommand.Action.FLUSH) cache.flushAll();
        } catch (IOException e) {
            return "error " + e.getMessage();
        }
        if (r.action() == ControlCommand.Action.STATUS)
            return r.reply() + " held=" + cache.heldBytes() + "B" + (cut ? " cut, " + waitingOnCut + " waiting" : "");
        if (r.ok() && !r.next().equals(faults))
            log.accept("faultfs: " + r.next().describe());
        faults = r.next();
        return r.reply();
    }

    /**
     * Called with the lock held by every operation that changes the disk: false at once when no
     * cut is on; else waits until the cut ends and returns true (the operation then fails with
     * EIO: it belongs to the process the cut stood for, killed meanwhile).
     */
    private boolean outlastedCut() {
        if (!cut) return false;
        waitingOnCut++;
        try {
            while (cut) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingOnCut--;
        }
        return true;
    }

    private Path backing(String path) {
        Path p = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("path escapes the backing dir: " + path);
        return p;
    }

    @Override
    public synchronized int getattr(String path, FileStat stat) {
        try {
            Map<String, Object> a = Files.readAttributes(
                    backing(path),
                    "unix:mode,uid,gid,size,nlink,ino,lastModifiedTime," + "lastAccessTime,ctime",
                    LinkOption.NOFOLLOW_LINKS);
            stat.st_mode.set((Integer) a.get("mode"));
            stat.st_uid.set((Integer) a.get("uid"));
            stat.st_gid.set((Integer) a.get("gid"));
            stat.st_nlink.set((Integer) a.get("nlink"));
            stat.st_ino.set((Long) a.get("ino"));
            long size = cache.isDirty(path) ? cache.size(path) : (Long) a.get("size");
            stat.st_size.set(size);
            stat.st_blksize.set(PageCache.PAGE);
            stat.st_blocks.set((size + 511) / 512);
            time(stat.st_mtim, (FileTime) a.get("lastModifiedTime"));
            time(stat.st_atim, (FileTime) a.get("lastAccessTime"));
            time(stat.st_ctim, (FileTime) a.get("ctime"));
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    private static void time(Timespec t, FileTime ft) {
        long nanos = ft.to(TimeUnit.NANOSECONDS);
        t.tv_sec.set(Math.floorDiv(nanos, 1_000_000_000L));
        t.tv_nsec.set(Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public synchronized int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        try (Stream<Path> list = Files.list(backing(path))) {
            filter.apply(buf, ".", null, 0);
            filter.apply(buf, "..", null, 0);
            for (Path p : (Iterable<Path>) list::iterator)
                filter.apply(buf, p.getFileName().toString(), null, 0);
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public synchronized int open(String path, FuseFileInfo fi) {
        return Files.exists(backing(path), LinkOption.NOFOLLOW_LINKS) ? 0 : -ErrorCodes.ENOENT();
    }

    @Override
    public synchronized int create(String path, @mode_t long mode, FuseFileInfo fi) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        Optional<Faults.Errno> fail = faults.onWrite();
        if (fail.isPresent()) return errno(fail.get());
        try {
            Path p = backing(path);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(p);
                Files.setPosixFilePermissions(p, permissions(mode));
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        byte[] data = new byte[(int) Math.min(size, 1 << 20)];
        int n;
        synchronized (this) {
            try {
                n = cache.read(path, offset, data, 0, data.length);
            } catch (IOException | RuntimeException e) {
                return errno(e);
            }
        }
        buf.put(0, data, 0, n);
        return n;
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        byte[] data = new byte[(int) Math.min(size, 1 << 20)];
        buf.get(0, data, 0, data.length);
        synchronized (this) {
            if (outlastedCut()) return -ErrorCodes.EIO();
            Optional<Faults.Errno> fail = faults.onWrite();
            if (fail.isPresent()) return errno(fail.get());
            try {
                if (faults.lazy()) {
                    cache.write(path, offset, data, 0, data.length);
                } else {
                    new DiskBacking(this::backing).write(path, offset, data, 0, data.length);
                }
                return data.length;
            } catch (IOException | RuntimeException e) {
                return errno(e);
            }
        }
    }

    @Override
    public synchronized int truncate(String path, @off_t long size) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        Optional<Faults.Errno> fail = faults.onWrite();
        if (fail.isPresent()) return errno(fail.get());
        try {
            if (faults.lazy() || cache.isDirty(path)) {
                cache.truncate(path, size);
            } else {
                new DiskBacking(this::backing).truncate(path, size);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return truncate(path, size);
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        int delay = faults.fsyncDelayMs();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -ErrorCodes.EINTR();
            }
        }
        synchronized (this) {
            if (outlastedCut()) return -ErrorCodes.EIO();
            Optional<Faults.Errno> fail = faults.onFsync();
            if (fail.isPresent()) return errno(fail.get());
            try {
                cache.sync(path);
                return 0;
            } catch (IOException | RuntimeException e) {
                return errno(e);
            }
        }
    }

    @Override
    public synchronized int fsyncdir(String path, FuseFileInfo fi) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        Optional<Faults.Errno> fail = faults.onFsync();
        if (fail.isPresent()) return errno(fail.get());
        try (FileChannel dir = FileChannel.open(backing(path), StandardOpenOption.READ)) {
            dir.force(true);
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public synchronized int mkdir(String path, @mode_t long mode) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        Optional<Faults.Errno> fail = faults.onWrite();
        if (fail.isPresent()) return errno(fail.get());
        try {
            Path p = backing(path);
            Files.createDirectory(p);
            Files.setPosixFilePermissions(p, permissions(mode));
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public synchronized int rmdir(String path) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        try {
            Path p = backing(path);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return -ErrorCodes.ENOTDIR();
            Files.delete(p);
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public synchronized int unlink(String path) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        try {
            Files.delete(backing(path));
            cache.forget(path);
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public synchronized int rename(String oldpath, String newpath) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        try {
            Files.move(
                    backing(oldpath),
                    backing(newpath),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            cache.rename(oldpath, newpath);
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public synchronized int chmod(String path, @mode_t long mode) {
        if (outlastedCut()) return -ErrorCodes.EIO();
        try {
            Files.setPosixFilePermissions(backing(path), permissions(mode));
            return 0;
        } catch (IOException | RuntimeException e) {
            return errno(e);
        }
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return 0; // the node runs as the mounting user; ownership is that user's
    }

    @Override
    public synchronized int utimens(String path, Timespec[] timespec) {
        try {
            long nanos = timespec[1].tv_sec.get() * 1_000_000_000L + timespec[1].tv_nsec.longValue();
            Files.setLastModifiedTime(backing(path), FileTime.from(nanos, TimeUnit.NANOSECONDS));
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0; // UTIME_NOW/UTIME_OMIT and friends: times are not what faults are about
        }
    }

    @Override
    public int access(String path, int mask) {
        return Files.exists(backing(path), LinkOption.NOFOLLOW_LINKS) ? 0 : -ErrorCodes.ENOENT();
    }

    static Set<PosixFilePermission> permissions(long mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1L << i)) != 0) out.add(order[i]);
        }
        return out;
    }

    private static int errno(Faults.Errno e) {
        return e == Faults.Errno.EIO ? -ErrorCodes.EIO() : -ErrorCodes.ENOSPC();
    }

    private static int errno(Exception e) {
        if (e instanceof NoSuchFileException) return -ErrorCodes.ENOENT();
        if (e instanceof FileAlreadyExistsException) return -ErrorCodes.EEXIST();
        if (e instanceof DirectoryNotEmptyException) return -ErrorCodes.ENOTEMPTY();
        if (e instanceof NotDirectoryException) return -ErrorCodes.ENOTDIR();
        if (e instanceof AccessDeniedException) return -ErrorCodes.EACCES();
        if (e instanceof IllegalArgumentException) return -ErrorCodes.EINVAL();
        return -ErrorCodes.EIO();
    }

    /** The backing files, each operation on a freshly opened channel. */
    static final class DiskBacking implements PageCache.Backing {
        private final java.util.function.Function<String, Path> resolve;

        DiskBacking(java.util.function.Function<String, Path> resolve) {
            this.resolve = resolve;
        }

        @Override
        public int read(String path, long off, byte[] dst, int dstOff, int len) throws IOException {
            try (FileChannel c = FileChannel.open(resolve.apply(path), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.wrap(dst, dstOff, len);
                long pos = off;
                while (b.hasRemaining()) {
                    int n = c.read(b, pos);
                    if (n < 0) break;
                    pos += n;
                }
                return (int) (pos - off);
            }
        }

        @Override
        public long size(String path) throws IOException {
            return Files.size(resolve.apply(path));
        }

        @Override
        public void write(String path, long off, byte[] src, int srcOff, int len) throws IOException {
            try (FileChannel c = FileChannel.open(resolve.apply(path), StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(src, srcOff, len);
                long pos = off;
                while (b.hasRemaining()) pos += c.write(b, pos);
            }
        }

        @Override
        public void truncate(String path, long size) throws IOException {
            try (FileChannel c = FileChannel.open(resolve.apply(path), StandardOpenOption.WRITE)) {
                if (size < c.size()) {
                    c.truncate(size);
                } else if (size > c.size()) {
                    c.write(ByteBuffer.allocate(1), size - 1); // extend with zeros
                }
            }
        }

        @Override
        public void sync(String path) throws IOException {
            try (FileChannel c = FileChannel.open(resolve.apply(path), StandardOpenOption.WRITE)) {
                c.force(false);
            }
        }
    }
}
