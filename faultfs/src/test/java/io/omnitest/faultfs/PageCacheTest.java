package io.omnitest.faultfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageCacheTest {
    /** Backing files in memory; records syncs. */
    static final class MemBacking implements PageCache.Backing {
        final Map<String, byte[]> files = new HashMap<>();
        final List<String> syncs = new ArrayList<>();

        String text(String path) {
            return new String(files.getOrDefault(path, new byte[0]), StandardCharsets.UTF_8);
        }

        @Override
        public int read(String path, long off, byte[] dst, int dstOff, int len) {
            byte[] f = files.getOrDefault(path, new byte[0]);
            int n = (int) Math.max(0, Math.min(len, f.length - off));
            if (n > 0) System.arraycopy(f, (int) off, dst, dstOff, n);
            return n;
        }

        @Override
        public long size(String path) {
            return files.getOrDefault(path, new byte[0]).length;
        }

        @Override
        public void write(String path, long off, byte[] src, int srcOff, int len) {
            byte[] f = files.getOrDefault(path, new byte[0]);
            if (off + len > f.length) f = Arrays.copyOf(f, (int) (off + len));
            System.arraycopy(src, srcOff, f, (int) off, len);
            files.put(path, f);
        }

        @Override
        public void truncate(String path, long size) {
            files.put(path, Arrays.copyOf(files.getOrDefault(path, new byte[0]), (int) size));
        }

        @Override
        public void sync(String path) {
            syncs.add(path);
        }
    }

    private final MemBacking disk = new MemBacking();
    private final PageCache cache = new PageCache(disk);

    private void write(String path, long off, String s) throws Exception {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        cache.write(path, off, b, 0, b.length);
    }

    private String read(String path) throws Exception {
        byte[] b = new byte[(int) cache.size(path)];
        int n = cache.read(path, 0, b, 0, b.length);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void unsyncedWritesAreReadBackButLostOnDrop() throws Exception {
        disk.files.put("/wal", "base".getBytes(StandardCharsets.UTF_8));
        write("/wal", 4, "+synced");
        cache.sync("/wal");
        write("/wal", 11, "+lost");
        assertEquals("base+synced+lost", read("/wal"));
        assertEquals("base+synced", disk.text("/wal"));
        assertEquals(List.of("/wal"), disk.syncs);

        cache.drop();

        assertEquals("base+synced", read("/wal"));
        assertFalse(cache.isDirty("/wal"));
    }

    @Test
    void writesAcrossPagesKeepTheBackingBytesAroundThem() throws Exception {
        byte[] base = new byte[3 * PageCache.PAGE];
        Arrays.fill(base, (byte) 'a');
        disk.files.put("/f", base);
        write("/f", PageCache.PAGE - 2, "XYZW");
        byte[] got = new byte[8];
        assertEquals(8, cache.read("/f", PageCache.PAGE - 4, got, 0, 8));
        assertEquals("aaXYZWaa", new String(got, StandardCharsets.UTF_8));
        assertEquals(2L * PageCache.PAGE, cache.heldBytes());
        cache.sync("/f");
        assertEquals("aaXYZWaa", new String(disk.files.get("/f"), PageCache.PAGE - 4, 8, StandardCharsets.UTF_8));
        assertEquals(3 * PageCache.PAGE, disk.files.get("/f").length);
    }

    @Test
    void truncateThenExtendReadsZerosNotTheOldBytes() throws Exception {
        disk.files.put("/f", "0123456789".getBytes(StandardCharsets.UTF_8));
        cache.truncate("/f", 4);
        write("/f", 6, "ab");
        assertEquals("0123\0\0ab", read("/f"));
        assertEquals("0123456789", disk.text("/f"));
        cache.sync("/f");
        assertEquals("0123\0\0ab", disk.text("/f"));
    }

    @Test
    void droppedTruncationLeavesTheSyncedFile() throws Exception {
        disk.files.put("/f", "0123456789".getBytes(StandardCharsets.UTF_8));
        cache.truncate("/f", 2);
        assertEquals("01", read("/f"));
        cache.drop();
        assertEquals("0123456789", read("/f"));
    }

    @Test
    void renameCarriesUnsyncedPagesAndFlushWritesWithoutSync() throws Exception {
        write("/tmp", 0, "image");
        cache.rename("/tmp", "/wal");
        assertTrue(cache.isDirty("/wal"));
        assertFalse(cache.isDirty("/tmp"));
        cache.flushAll();
        assertEquals("image", disk.text("/wal"));
        assertEquals(List.of(), disk.syncs);
        assertEquals(0, cache.heldBytes());
    }

    @Test
    void readPastTheEndReturnsWhatThereIs() throws Exception {
        write("/f", 0, "abc");
        byte[] b = new byte[10];
        assertEquals(1, cache.read("/f", 2, b, 0, 10));
        assertEquals(0, cache.read("/f", 5, b, 0, 10));
    }
}
