package io.fxflink.manager.service;

import java.util.Set;

/** A package that passed every check: its manifest, content hash and file names. */
record InspectedPackage(Manifest manifest, String sha256, long sizeBytes, Set<String> files) {
    String objectKey() {
        return "packages/" + sha256 + ".zip";
    }
}
