package io.fxflink.manager;

import io.fxflink.manager.job.TinyJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds job jars on the fly from the compiled test classes. */
final class JobJars {
    private JobJars() {}

    /** A jar with {@link TinyJob} (and its nested classes); Main-Class set when asked. */
    static byte[] tinyJob(boolean withMainClass) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (withMainClass) {
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TinyJob.class.getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            for (Class<?> c : new Class<?>[] {TinyJob.class, TinyJob.Throttle.class}) {
                String path = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(path));
                try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
