package io.fxflink.manager;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything the manager logs (its own loggers at every level, everything else from INFO)
 * with stack traces, so a test can assert a value never reaches the log.
 */
final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final WriterAppender appender;
    private final Level previousRoot;

    LogCapture() {
        Configuration cfg = context.getConfiguration();
        appender =
                WriterAppender.newBuilder()
                        .setName("fx-capture")
                        .setTarget(out)
                        .setLayout(
                                PatternLayout.newBuilder()
                                        .withPattern("%p %c %m%n%throwable")
                                        .withConfiguration(cfg)
                                        .build())
                        .build();
        appender.start();
        cfg.addAppender(appender);
        LoggerConfig root = cfg.getRootLogger();
        previousRoot = root.getLevel();
        root.setLevel(Level.INFO);
        root.addAppender(appender, Level.ALL, null);
        LoggerConfig fx = new LoggerConfig("io.fxflink", Level.ALL, false);
        fx.addAppender(appender, Level.ALL, null);
        cfg.addLogger("io.fxflink", fx);
        context.updateLoggers();
    }

    /** Everything captured so far. */
    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        Configuration cfg = context.getConfiguration();
        cfg.removeLogger("io.fxflink");
        cfg.getRootLogger().removeAppender(appender.getName());
        cfg.getRootLogger().setLevel(previousRoot);
        context.updateLoggers();
        appender.stop();
    }
}
