package io.fxflink.manager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds service package zips (good and hostile) for tests. */
final class Packages {
    private Packages() {}

    static String manifest(String name, String version, String extra) {
        return "{\"name\":\""
                + name
                + "\",\"version\":\""
                + version
                + "\",\"runtime\":\"python\",\"scripts\":[\"main.py\"]"
                + (extra == null || extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    static byte[] python(String name, String version, String extra) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("manifest.json", manifest(name, version, extra));
        files.put("main.py", "from fx_ef import context\nprint(context.params)\n");
        return zip(files);
    }

    static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A zip whose entry names are written as given (java.util.zip would refuse some). */
    static byte[] rawNames(String manifest, String hostileName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            add(z, new ZipArchiveEntry("manifest.json"), manifest);
            add(z, new ZipArchiveEntry("main.py"), "print(1)\n");
            add(z, new ZipArchiveEntry(hostileName), "x");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] withSymlink(String manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            add(z, new ZipArchiveEntry("manifest.json"), manifest);
            add(z, new ZipArchiveEntry("main.py"), "print(1)\n");
            ZipArchiveEntry link = new ZipArchiveEntry("secrets");
            link.setUnixMode(0120777);
            add(z, link, "/etc/passwd");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A small zip that inflates to {@code inflatedBytes} of zeros. */
    static byte[] bomb(String manifest, int inflatedBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("main.py"));
            z.write("print(1)\n".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] chunk = new byte[1 << 20];
            for (int written = 0; written < inflatedBytes; written += chunk.length) {
                z.write(chunk, 0, Math.min(chunk.length, inflatedBytes - written));
            }
            z.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void add(ZipArchiveOutputStream z, ZipArchiveEntry e, String content)
            throws IOException {
        z.putArchiveEntry(e);
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeArchiveEntry();
    }
}
