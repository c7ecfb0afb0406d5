package io.fxflink.executor.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
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

    @Test
    void aZipBombIsRejectedByItsRealInflatedSize() throws Exception {
        Path z = zip(zip -> entry(zip, "bomb.txt", new byte[6 << 20]));
        assertThatThrownBy(() -> unzip.unpack(z, tmp.resolve("out")))
                .isInstanceOf(PackageException.class)
                .hasMessageMatching(".*(zip bomb|larger than).*");
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
