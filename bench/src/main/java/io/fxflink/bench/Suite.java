package io.fxflink.bench;

import java.util.List;

/**
 * One benchmark program: a main class in a module's test sources that prints {@code BENCH-JSON
 * {...}} lines with its figures (each figure measured against its baseline in the same run).
 */
record Suite(
        String name,
        String module,
        String mainClass,
        List<String> fullArgs,
        List<String> smokeArgs) {
    List<String> args(boolean smoke) {
        return smoke ? smokeArgs : fullArgs;
    }
}
