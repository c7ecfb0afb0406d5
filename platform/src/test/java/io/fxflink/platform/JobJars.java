package io.fxflink.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs test classes into a job jar with a Main-Class, as a job's build would. */
final class JobJars {
    private JobJars() {}

    static Path of(Class<?> main, Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().getPath());
        String pkg = main.getPackageName().replace('.', '/');
        String prefix = main.getSimpleName();
        Path jar = dir.resolve(prefix + ".jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, manifest);
                var files = Files.list(classes.resolve(pkg))) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                j.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }
}
