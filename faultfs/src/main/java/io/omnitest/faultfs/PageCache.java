package io.omnitest.faultfs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The unsynced writes of each file, held in this process (lazyfs semantics): a write lands in
 * 4 KiB pages here and reaches the backing file only at that file's next {@link #sync}; a
 * {@link #drop()} forgets every unsynced write, as a machine losing its page cache would. A
 * file without unsynced writes is read straight from the backing file.
 *
 * <p>Per file it keeps the size as the application sees it and the <em>floor</em>: the smallest
 * size the file had since its last sync. Bytes below the floor that no unsynced write covers come
 * from the backing file; bytes at or above it read as zeros (they were truncated away).
 *
 * <p>Metadata (create, rename, unlink, mkdir) is not held: it goes to the backing dir at once;
 * a rename carries the file's unsynced pages along. Not thread-safe: the caller serializes.
 */
public final class PageCache {
    public static final int PAGE = 4096;

    /** The backing files, addressed by the path inside the mount. */
    public interface Backing {
        /** Reads up to {@code len} bytes at {@code off} into {@code dst}; returns how many (fewer at the end). */
        int read(String path, long off, byte[] dst, int dstOff, int len) throws IOException;

        long size(String path) throws IOException;

        void write(String path, long off, byte[] src, int srcOff, int len) throws IOException;

        void truncate(String path, long size) throws IOException;

        /** fsync/fdatasync of the backing file. */
        void sync(String path) throws IOException;
    }

    private static final class Dirty {
        long size;
        long floor;
        final TreeMap<Long, byte[]> pages = new TreeMap<>();

        Dirty(long size) {
            this.size = size;
            this.floor = size;
        }
    }

    private final Backing backing;
    private final Map<String, Dirty> files = new HashMap<>();

    public PageCache(Backing backing) {
        this.backing = backing;
    }

    /** Whether {@code path} has writes not yet synced. */
    public boolean isDirty(String path) {
        return files.containsKey(path);
    }

    /** Bytes held in unsynced pages, over all files. */
    public long heldBytes() {
        return files.values().stream()
                .mapToLong(d -> (long) d.pages.size() * PAGE)
                .sum();
    }

    public long size(String path) throws IOException {
        Dirty d = files.get(path);
        return d != null ? d.size : backing.size(path);
    }

    public void write(String path, long off, byte[] src, int srcOff, int len) throws IOException {
        Dirty d = dirty(path);
        long pos = off;
        int done = 0;
        while (done < len) {
            long pageNo = pos / PAGE;
            int in = (int) (pos % PAGE);
            int n = Math.min(len - done, PAGE - in);
            byte[] page = page(path, d, pageNo);
            System.arraycopy(src, srcOff + done, page, in, n);
            done += n;
            pos += n;
        }
        d.size = Math.max(d.size, off + len);
    }

    /** Reads like pread: up to {@code len} bytes, fewer at the end of the file; returns how many. */
    public int read(String path, long off, byte[] dst, int dstOff, int len) throws IOException {
        Dirty d = files.get(path);
        if (d == null) return backing.read(path, off, dst, dstOff, len);
        int total = (int) Math.max(0, Math.min(len, d.size - off));
        int done = 0;
        while (done < total) {
            long pos = off + done;
            long pageNo = pos / PAGE;
            int in = (int) (pos % PAGE);
            int n = Math.min(total - done, PAGE - in);
            byte[] page = d.pages.get(pageNo);
            if (page != null) {
                System.arraycopy(page, in, dst, dstOff + done, n);
            } else {
                fromBacking(path, d, pos, dst, dstOff + done, n);
            }
            done += n;
        }
        return total;
    }

    public void truncate(String path, long size) throws IOException {
        Dirty d = dirty(path);
        d.size = size;
        d.floor = Math.min(d.floor, size);
        d.pages.tailMap((size + PAGE - 1) / PAGE, true).clear();
        byte[] last = d.pages.get(size / PAGE);
        if (last != null) java.util.Arrays.fill(last, (int) (size % PAGE), PAGE, (byte) 0);
    }

    /** Writes the file's unsynced pages to the backing file and fsyncs it; the file is then clean. */
    public void sync(String path) throws IOException {
        writeOut(path);
        backing.sync(path);
        files.remove(path);
    }

    /** Writes every file's unsynced pages to the backing files without fsync (lazy mode ends). */
    public void flushAll() throws IOException {
        for (Iterator<String> it = files.keySet().iterator(); it.hasNext(); ) {
            writeOut(it.next());
            it.remove();
        }
    }

    /** Forgets every unsynced write: each file is again as of its last sync. */
    public void drop() {
        files.clear();
    }

    /** The file is gone from the backing dir. */
    public void forget(String path) {
        files.remove(path);
    }

    /** The backing file was renamed: its unsynced pages follow; those of a replaced target are gone. */
    public void rename(String from, String to) {
        Dirty d = files.remove(from);
        files.remove(to);
        if (d != null) files.put(to, d);
    }

    private void writeOut(String path) throws IOException {
        Dirty d = files.get(path);
        if (d == null) return;
        if (d.floor < backing.size(path)) backing.truncate(path, d.floor);
        for (Map.Entry<Long, byte[]> e : d.pages.entrySet()) {
            long start = e.getKey() * PAGE;
            int n = (int) Math.min(PAGE, d.size - start);
            if (n > 0) backing.write(path, start, e.getValue(), 0, n);
        }
        if (backing.size(path) != d.size) backing.truncate(path, d.size);
    }

    private Dirty dirty(String path) throws IOException {
        Dirty d = files.get(path);
        if (d == null) {
            d = new Dirty(backing.size(path));
            files.put(path, d);
        }
        return d;
    }

    private byte[] page(String path, Dirty d, long pageNo) throws IOException {
        byte[] page = d.pages.get(pageNo);
        if (page == null) {
            page = new byte[PAGE];
            long start = pageNo * PAGE;
            int n = (int) Math.max(0, Math.min(PAGE, Math.min(d.size, d.floor) - start));
            if (n > 0) fromBacking(path, d, start, page, 0, n);
            d.pages.put(pageNo, page);
        }
        return page;
    }

    /** Bytes not in a page: the backing file's below the floor, zeros above it. */
    private void fromBacking(String path, Dirty d, long pos, byte[] dst, int dstOff, int n) throws IOException {
        java.util.Arrays.fill(dst, dstOff, dstOff + n, (byte) 0);
        int fromFile = (int) Math.max(0, Math.min(n, d.floor - pos));
        int got = 0;
        while (got < fromFile) {
            int r = backing.read(path, pos + got, dst, dstOff + got, fromFile - got);
            if (r <= 0) break;
            got += r;
        }
    }
}
