package io.fxflink.manager.access;

record CreateProjectRequest(String name) {}
