package io.fxflink.executor.jvm;

import io.fxflink.executor.api.FxService;

/**
 * Parent of every service class loader: the JDK (platform class loader) plus the classes of {@code
 * io.fxflink.executor.api}, nothing else. The executor's own libraries (Kafka, Jackson, MinIO, ...)
 * stay invisible, so a service can bring other versions of them and cannot reach into the executor.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    static final String API_PACKAGE = FxService.class.getPackageName() + ".";

    private final ClassLoader apiLoader = FxService.class.getClassLoader();

    ApiOnlyClassLoader() {
        super("fx-service-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0) {
            return apiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public java.net.URL getResource(String name) {
        // only the JDK's resources: the executor's own (log4j2.properties, META-INF/services) stay
        // hidden
        return getParent().getResource(name);
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name)
            throws java.io.IOException {
        return getParent().getResources(name);
    }
}
