package io.fxflink.executor.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUnzipTest {
    @TempDir Path tmp;
    final SafeUnzip unzip = new SafeUnzip(new SafeUnzip.Limits(100, 4L << 20, 8L << 20, 100));

    interface Writer {
        void write(ZipArchiveOutputStream zip) throws Exception;
    }

    Path zip(Writer w) throws Exception {
        Path z = Files.createTempFile(tmp, "p", ".zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(z.toFile())) {
            w.write(zip);
        }
        return z;
    }

    static void entry(ZipArchiveOutputStream zip, String name, byte[] data) throws Exception {
        zip.putArchiveEntry(new ZipArchiveEntry(name));
        zip.write(data);
        zip.closeArchiveEntry();
    }

    @Test
    void aNormalPackageUnpacks() throws Exception {
        Path z = zip(zip -> entry(zip, "lib/main.py", "print(1)".getBytes(StandardCharsets.UTF_8)));
        unzip.unpack(z, tmp.resolve("out"));
        assertThat(tmp.resolve("out/lib/main.py")).hasContent("print(1)");
    }

    @Test
    void zipSlipIsRejected() throws Exception {
        Path z = zip(zip -> entry(zip, "../../evil.py", new byte[1]));
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("zip slip");
        assertThat(tmp.getParent().resolve("evil.py")).doesNotExist();
    }

    @Test
    void absolutePathsAreRejected() throws Exception {
        Path z = zip(zip -> entry(zip, "/etc/evil", new byte[1]));
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .hasMessageContaining("absolute path");
    }

    @Test
    void symlinksAreRejected() throws Exception {
        Path z =
                zip(
                        zip -> {
                            ZipArchiveEntry e = new ZipArchiveEntry("link");
                            e.setUnixMode(0120777);
                            zip.putArchiveEntry(e);
                            zip.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
                            zip.closeArchiveEntry();
                        });
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .hasMessageContaining("symbolic link");
    }

    /** Every entry claims this many uncompressed bytes in both its headers. */
    static final long CLAIMED = 1024;

    /** The same limits without the ratio check, so only the counted sizes can refuse. */
    final SafeUnzip noRatioLimit =
            new SafeUnzip(new SafeUnzip.Limits(100, 4L << 20, 8L << 20, Integer.MAX_VALUE));

    /**
     * A zip written normally (deflated, sizes in the local headers), then patched so that the local
     * header and the central directory of every entry claim {@link #CLAIMED} uncompressed bytes
     * while the deflated data still inflates to the real size (the CRC stays the real one).
     */
    Path lyingZip(int entries, int realBytesEach) throws Exception {
        Path z = Files.createTempFile(tmp, "lying", ".zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(z.toFile())) {
            zip.setUseZip64(Zip64Mode.Never);
            for (int i = 0; i < entries; i++) {
                ZipArchiveEntry e = new ZipArchiveEntry("big" + i + ".bin");
                e.setMethod(ZipArchiveEntry.DEFLATED);
                e.setSize(realBytesEach);
                zip.putArchiveEntry(e);
                zip.write(new byte[realBytesEach]);
                zip.closeArchiveEntry();
            }
        }
        Files.write(z, claimUncompressedSizes(Files.readAllBytes(z), CLAIMED));
        try (ZipFile zf = ZipFile.builder().setPath(z).get()) {
            assertThat(zf.getEntries().asIterator())
                    .toIterable()
                    .hasSize(entries)
                    .allSatisfy(e -> assertThat(e.getSize()).isEqualTo(CLAIMED));
        }
        return z;
    }

    /** Overwrites the uncompressed-size field of every local header and central directory entry. */
    static byte[] claimUncompressedSizes(byte[] zip, long claimed) {
        ByteBuffer b = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = zip.length - 22;
        while (eocd >= 0 && b.getInt(eocd) != 0x06054b50) {
            eocd--;
        }
        assertThat(eocd).as("end of central directory").isNotNegative();
        int entries = Short.toUnsignedInt(b.getShort(eocd + 10));
        int cd = b.getInt(eocd + 16);
        for (int i = 0; i < entries; i++) {
            assertThat(b.getInt(cd)).as("central directory entry").isEqualTo(0x02014b50);
            int local = b.getInt(cd + 42);
            assertThat(b.getInt(local)).as("local file header").isEqualTo(0x04034b50);
            assertThat(b.getShort(local + 6) & 0x08).as("no data descriptor").isZero();
            b.putInt(cd + 24, (int) claimed);
            b.putInt(local + 22, (int) claimed);
            cd +=
                    46
                            + Short.toUnsignedInt(b.getShort(cd + 28))
                            + Short.toUnsignedInt(b.getShort(cd + 30))
                            + Short.toUnsignedInt(b.getShort(cd + 32));
        }
        return b.array();
    }

    @Test
    void aZipBombIsRejectedByItsRealInflatedSize() throws Exception {
        // 6 MiB of zeros deflate to a few KiB: a ratio far over 100, while the headers claim 1 KiB
        Path z = lyingZip(1, 6 << 20);
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("entry 'big0.bin' expands more than 100x (zip bomb)");
    }

    @Test
    void anEntryWhoseHeadersUnderstateItsSizeIsRefusedOnTheBytesActuallyInflated()
            throws Exception {
        Path z = lyingZip(1, 6 << 20);
        assertThatThrownBy(() -> noRatioLimit.unpack(z, tmp.resolve("out")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("entry 'big0.bin' is larger than " + (4L << 20) + " bytes");
        // inflating stopped at the limit: no more than the limit was written out
        assertThat(Files.size(tmp.resolve("out/big0.bin"))).isLessThanOrEqualTo(4L << 20);
    }

    @Test
    void theTotalIsCountedOnTheBytesActuallyInflated() throws Exception {
        // three entries of 3 MiB (each under the 4 MiB entry limit), 9 MiB in all: over 8 MiB
        Path z = lyingZip(3, 3 << 20);
        assertThatThrownBy(() -> noRatioLimit.unpack(z, tmp.resolve("out")))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("it unpacks to more than " + (8L << 20) + " bytes in all");
    }

    @Test
    void tooManyEntriesAreRejected() throws Exception {
        Path z =
                zip(
                        zip -> {
                            for (int i = 0; i < 101; i++) {
                                entry(zip, "f" + i, new byte[1]);
                            }
                        });
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .hasMessageContaining("more than 100 entries");
    }

    @Test
    void garbageIsNotAZip() throws Exception {
        Path z = Files.write(tmp.resolve("x.zip"), "not a zip".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .hasMessageContaining("not a readable zip");
    }
}
