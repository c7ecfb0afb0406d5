package io.fxflink.jobs.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed option: key, type, default and description. Set as {@code --key value} or as the
 * environment variable {@link #envName()} ({@code FX_} + key in upper case, '.' and '-' as '_').
 *
 * @param defaultValue null = no default; a required option without default must be set
 */
public record JobOption<T>(
        String key,
        Class<T> type,
        T defaultValue,
        boolean required,
        String description,
        Parser<T> parser)
        implements Serializable {

    /** Parses a raw value; throws IllegalArgumentException with a message saying what is valid. */
    @FunctionalInterface
    public interface Parser<T> extends Function<String, T>, Serializable {}

    public JobOption {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
    }

    public static JobOption<String> string(String key, String defaultValue, String description) {
        return new JobOption<>(key, String.class, defaultValue, false, description, s -> s);
    }

    public static JobOption<String> requiredString(String key, String description) {
        return new JobOption<>(key, String.class, null, true, description, s -> s);
    }

    public static JobOption<Integer> integer(String key, int defaultValue, String description) {
        return new JobOption<>(
                key,
                Integer.class,
                defaultValue,
                false,
                description,
                s -> {
                    try {
                        return Integer.parseInt(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be an integer");
                    }
                });
    }

    public static JobOption<Long> longValue(String key, long defaultValue, String description) {
        return new JobOption<>(
                key,
                Long.class,
                defaultValue,
                false,
                description,
                s -> {
                    try {
                        return Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be an integer");
                    }
                });
    }

    /** Enum option written in lower case with '-' (e.g. {@code at-least-once}). */
    public static <E extends Enum<E>> JobOption<E> enumValue(
            String key, Class<E> type, E defaultValue, String description) {
        return new JobOption<>(
                key,
                type,
                defaultValue,
                false,
                description,
                s -> {
                    for (E constant : type.getEnumConstants()) {
                        if (wireName(constant).equals(s.trim().toLowerCase(Locale.ROOT))) {
                            return constant;
                        }
                    }
                    StringBuilder allowed = new StringBuilder();
                    for (E constant : type.getEnumConstants()) {
                        allowed.append(allowed.length() == 0 ? "" : ", ")
                                .append(wireName(constant));
                    }
                    throw new IllegalArgumentException("must be one of " + allowed);
                });
    }

    public static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String envName() {
        return "FX_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
