package io.fxflink.executor.context;

import io.fxflink.executor.pkg.PackageException;
import io.fxflink.executor.pkg.ServicePackage;

/** Runs one step of a service package (Python script or JVM service class). */
public interface StepRunner extends AutoCloseable {
    StepOutcome run(ServicePackage pkg, String step, StepInput input, StepCallbacks callbacks)
            throws InterruptedException, PackageException;

    /** Free capacity right now (for back-pressure and health). */
    int idle();

    int capacity();

    @Override
    void close();
}
