package io.fxflink.executor.jvm;

import io.fxflink.executor.api.FxService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles JVM service sources in memory (javac, against fx-executor-api only) into a jar. */
public final class TestJars {
    private TestJars() {}

    /**
     * @param sources class name → Java source
     * @return the jar's bytes
     */
    public static byte[] jar(Map<String, String> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach(
                (name, code) ->
                        units.add(
                                new SimpleJavaFileObject(
                                        URI.create(
                                                "string:///"
                                                        + name.replace('.', '/')
                                                        + JavaFileObject.Kind.SOURCE.extension),
                                        JavaFileObject.Kind.SOURCE) {
                                    @Override
                                    public CharSequence getCharContent(boolean ignore) {
                                        return code;
                                    }
                                }));
        String apiJar = apiLocation().toString();
        try (StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, null);
                ForwardingJavaFileManager<StandardJavaFileManager> fm =
                        new ForwardingJavaFileManager<>(std) {
                            @Override
                            public JavaFileObject getJavaFileForOutput(
                                    Location location,
                                    String className,
                                    JavaFileObject.Kind kind,
                                    FileObject sibling) {
                                return new SimpleJavaFileObject(
                                        URI.create(
                                                "mem:///"
                                                        + className.replace('.', '/')
                                                        + kind.extension),
                                        kind) {
                                    @Override
                                    public OutputStream openOutputStream() {
                                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                                        classes.put(className, out);
                                        return out;
                                    }
                                };
                            }
                        }) {
            boolean ok =
                    javac.getTask(
                                    null,
                                    fm,
                                    diagnostics,
                                    List.of("--release", "17", "-classpath", apiJar),
                                    null,
                                    units)
                            .call();
            if (!ok) {
                throw new IllegalStateException(
                        "test service does not compile: " + diagnostics.getDiagnostics());
            }
        }
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            for (Map.Entry<String, ByteArrayOutputStream> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                out.write(c.getValue().toByteArray());
                out.closeEntry();
            }
        }
        return jar.toByteArray();
    }

    private static Path apiLocation() {
        try {
            return Path.of(
                    FxService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate fx-executor-api", e);
        }
    }
}
