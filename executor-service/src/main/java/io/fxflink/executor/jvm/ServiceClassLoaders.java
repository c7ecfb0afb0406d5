package io.fxflink.executor.jvm;

import io.fxflink.executor.api.FxService;
import io.fxflink.executor.pkg.PackageException;
import io.fxflink.executor.pkg.ServicePackage;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One class loader per package content hash (jars at the package root and under {@code lib/}), with
 * {@link ApiOnlyClassLoader} as parent, and the service classes found in it. At most {@code
 * maxLoaders} are kept (least recently used closed first); a loader whose service thread had to be
 * abandoned is replaced by {@link #recycle}.
 */
final class ServiceClassLoaders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceClassLoaders.class);

    /** A package's loader and the constructors of its service classes. */
    static final class Loaded {
        final String sha256;
        final URLClassLoader loader;
        final Map<String, Constructor<? extends FxService>> services = new ConcurrentHashMap<>();

        Loaded(String sha256, URLClassLoader loader) {
            this.sha256 = sha256;
            this.loader = loader;
        }
    }

    private final ApiOnlyClassLoader parent = new ApiOnlyClassLoader();
    private final int maxLoaders;
    private final LinkedHashMap<String, Loaded> loaders = new LinkedHashMap<>(16, 0.75f, true);

    ServiceClassLoaders(int maxLoaders) {
        this.maxLoaders = maxLoaders;
    }

    synchronized Loaded loaderFor(ServicePackage pkg) throws PackageException {
        Loaded hit = loaders.get(pkg.sha256());
        if (hit != null) {
            return hit;
        }
        List<URL> jars = jars(pkg.directory());
        URLClassLoader loader =
                new URLClassLoader(
                        "fx-service-" + pkg.manifest().name() + "-" + shortSha(pkg.sha256()),
                        jars.toArray(URL[]::new),
                        parent);
        Loaded loaded = new Loaded(pkg.sha256(), loader);
        loaders.put(pkg.sha256(), loaded);
        while (loaders.size() > maxLoaders) {
            Map.Entry<String, Loaded> eldest = loaders.entrySet().iterator().next();
            loaders.remove(eldest.getKey());
            close(eldest.getValue());
        }
        return loaded;
    }

    /** The service class's constructor, checked once per loader. */
    Constructor<? extends FxService> service(Loaded loaded, String className)
            throws PackageException {
        Constructor<? extends FxService> c = loaded.services.get(className);
        if (c == null) {
            c = find(loaded, className);
            loaded.services.put(className, c);
        }
        return c;
    }

    private static Constructor<? extends FxService> find(Loaded loaded, String className)
            throws PackageException {
        Class<?> cls;
        try {
            cls = Class.forName(className, false, loaded.loader);
        } catch (ClassNotFoundException e) {
            throw new PackageException(
                    "entrypoint class " + className + " is not in the package's jars", false, e);
        } catch (LinkageError e) {
            throw new PackageException(
                    "entrypoint class " + className + " cannot be loaded: " + e, false, e);
        }
        if (!FxService.class.isAssignableFrom(cls)) {
            throw new PackageException(
                    "entrypoint class "
                            + className
                            + " does not implement "
                            + FxService.class.getName(),
                    false);
        }
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers())) {
            throw new PackageException(
                    "entrypoint class " + className + " must be a public, concrete class", false);
        }
        try {
            @SuppressWarnings("unchecked")
            Constructor<? extends FxService> c =
                    (Constructor<? extends FxService>) cls.getConstructor();
            return c;
        } catch (NoSuchMethodException e) {
            throw new PackageException(
                    "entrypoint class " + className + " needs a public no-argument constructor",
                    false);
        }
    }

    /** Drops the loader if it is still the current one for its package, and closes it. */
    synchronized void recycle(Loaded loaded) {
        if (loaders.get(loaded.sha256) == loaded) {
            loaders.remove(loaded.sha256);
        }
        close(loaded);
        LOG.warn("class loader of package {} recycled", loaded.sha256);
    }

    synchronized int size() {
        return loaders.size();
    }

    static List<URL> jars(Path dir) throws PackageException {
        List<URL> jars = new ArrayList<>();
        try {
            addJars(dir, jars);
            Path lib = dir.resolve("lib");
            if (Files.isDirectory(lib)) {
                addJars(lib, jars);
            }
        } catch (IOException e) {
            throw new PackageException("cannot list the package's jars: " + e.getMessage(), true);
        }
        if (jars.isEmpty()) {
            throw new PackageException(
                    "a jvm package needs its classes in jar files at the package root or under"
                            + " lib/ (none found)",
                    false);
        }
        return jars;
    }

    private static void addJars(Path dir, List<URL> out) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p :
                    files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .toList()) {
                try {
                    out.add(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IOException(e);
                }
            }
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static void close(Loaded loaded) {
        try {
            loaded.loader.close();
        } catch (IOException e) {
            LOG.warn("cannot close class loader of package {}: {}", loaded.sha256, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        loaders.values().forEach(ServiceClassLoaders::close);
        loaders.clear();
    }
}
