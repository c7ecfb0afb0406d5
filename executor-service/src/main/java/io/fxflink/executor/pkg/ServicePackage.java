package io.fxflink.executor.pkg;

import java.nio.file.Path;

/** An unpacked, verified package: its directory, content hash and manifest. */
public record ServicePackage(String sha256, Path directory, Manifest manifest) {}
