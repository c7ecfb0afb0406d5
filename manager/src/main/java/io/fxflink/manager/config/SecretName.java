package io.fxflink.manager.config;

/** A secret as the API shows it: its name and scope, never its value. */
public record SecretName(String name, String level, String scope) {}
