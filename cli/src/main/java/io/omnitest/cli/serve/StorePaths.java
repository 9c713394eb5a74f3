package io.omnitest.cli.serve;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Maps a request path to a file of the store, and refuses everything outside it.
 *
 * <p>Three checks, each enough on its own for the cases it covers: any {@code ..} or {@code .}
 * segment, backslash or NUL in the decoded path is refused outright; the normalised path must lie
 * under the store; and the real path (every symlink followed) must lie under the store's real
 * path, so a symlink inside a run pointing elsewhere ({@code nodes/n1/log -> /etc/passwd}) is
 * refused too, while {@code latest -> test/run} inside the store works.
 */
final class StorePaths {
    /** Why a path was not resolved. */
    enum Refusal {
        FORBIDDEN,
        NOT_FOUND
    }

    /** Either a file or directory of the store, or a refusal. */
    record Resolved(Path file, Refusal refusal) {}

    private final Path realStore;

    StorePaths(Path store) throws IOException {
        this.realStore = store.toRealPath();
    }

    /** @param rawRelative the still percent-encoded request path after the prefix, without a leading '/' */
    Resolved resolve(String rawRelative) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawRelative.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Resolved(null, Refusal.FORBIDDEN);
        }
        if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0 || decoded.startsWith("/"))
            return new Resolved(null, Refusal.FORBIDDEN);
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) return new Resolved(null, Refusal.FORBIDDEN);
        }
        Path target;
        try {
            target = realStore.resolve(decoded).normalize();
        } catch (InvalidPathException e) {
            return new Resolved(null, Refusal.FORBIDDEN);
        }
        if (!target.startsWith(realStore)) return new Resolved(null, Refusal.FORBIDDEN);
        if (!Files.exists(target)) return new Resolved(null, Refusal.NOT_FOUND);
        try {
            Path real = target.toRealPath();
            if (!real.startsWith(realStore)) return new Resolved(null, Refusal.FORBIDDEN);
            return new Resolved(real, null);
        } catch (NoSuchFileException e) {
            return new Resolved(null, Refusal.NOT_FOUND);
        } catch (IOException e) {
            return new Resolved(null, Refusal.FORBIDDEN);
        }
    }

    Path store() {
        return realStore;
    }
}
