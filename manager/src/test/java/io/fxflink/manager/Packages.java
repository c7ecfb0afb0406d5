package io.fxflink.manager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

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

    /**
     * Like {@link #bomb}, but the local header and the central directory of {@code zeros.bin} claim
     * only {@code claimedBytes} uncompressed: a zip written normally (deflated, sizes in the local
     * headers), whose size fields are then patched. The deflated data and its CRC are the real
     * ones, so it still inflates to {@code inflatedBytes}.
     */
    static byte[] lyingBomb(String manifest, int inflatedBytes, long claimedBytes) {
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(channel)) {
            z.setUseZip64(Zip64Mode.Never);
            add(z, new ZipArchiveEntry("manifest.json"), manifest);
            add(z, new ZipArchiveEntry("main.py"), "print(1)\n");
            ZipArchiveEntry zeros = new ZipArchiveEntry("zeros.bin");
            zeros.setMethod(ZipArchiveEntry.DEFLATED);
            zeros.setSize(inflatedBytes);
            z.putArchiveEntry(zeros);
            byte[] chunk = new byte[1 << 20];
            for (int written = 0; written < inflatedBytes; written += chunk.length) {
                z.write(chunk, 0, Math.min(chunk.length, inflatedBytes - written));
            }
            z.closeArchiveEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] zip = Arrays.copyOf(channel.array(), (int) channel.size());
        return claimUncompressedSize(zip, "zeros.bin", claimedBytes);
    }

    /** Overwrites the uncompressed size of {@code entry} in its local header and central entry. */
    static byte[] claimUncompressedSize(byte[] zip, String entry, long claimed) {
        ByteBuffer b = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = zip.length - 22;
        while (eocd >= 0 && b.getInt(eocd) != 0x06054b50) {
            eocd--;
        }
        check(eocd >= 0, "no end of central directory");
        int entries = Short.toUnsignedInt(b.getShort(eocd + 10));
        int cd = b.getInt(eocd + 16);
        int patched = 0;
        for (int i = 0; i < entries; i++) {
            check(b.getInt(cd) == 0x02014b50, "no central directory entry at " + cd);
            int nameLength = Short.toUnsignedInt(b.getShort(cd + 28));
            String name = new String(zip, cd + 46, nameLength, StandardCharsets.UTF_8);
            if (name.equals(entry)) {
                int local = b.getInt(cd + 42);
                check(b.getInt(local) == 0x04034b50, "no local header at " + local);
                check((b.getShort(local + 6) & 0x08) == 0, "sizes are in a data descriptor");
                b.putInt(cd + 24, (int) claimed);
                b.putInt(local + 22, (int) claimed);
                patched++;
            }
            cd +=
                    46
                            + nameLength
                            + Short.toUnsignedInt(b.getShort(cd + 30))
                            + Short.toUnsignedInt(b.getShort(cd + 32));
        }
        check(patched == 1, "entry " + entry + " found " + patched + " times");
        return b.array();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("cannot forge the zip: " + what);
        }
    }

    private static void add(ZipArchiveOutputStream z, ZipArchiveEntry e, String content)
            throws IOException {
        z.putArchiveEntry(e);
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeArchiveEntry();
    }
}
