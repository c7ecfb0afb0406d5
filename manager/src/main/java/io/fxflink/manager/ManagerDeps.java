package io.fxflink.manager;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fxflink.config.ConfigStores;
import io.fxflink.manager.event.EventPublisher;
import io.fxflink.manager.event.KafkaEventPublisher;
import io.fxflink.manager.execution.ElasticsearchLogSearch;
import io.fxflink.manager.execution.LogSearch;
import io.fxflink.manager.link.KafkaLinkPublisher;
import io.fxflink.manager.link.LinkPublisher;
import io.fxflink.manager.service.MinioPackageStore;
import io.fxflink.manager.service.PackageStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The manager's connections to the outside, built from {@link ManagerConfig}. Tests replace single
 * parts (e.g. a link publisher that fails, to simulate a crash between commit and publish).
 */
public record ManagerDeps(
        HikariDataSource dataSource,
        PackageStore packageStore,
        LinkPublisher linkPublisher,
        EventPublisher eventPublisher,
        LogSearch logSearch,
        ConfigStores configStores)
        implements AutoCloseable {

    public static ManagerDeps create(ManagerConfig config) {
        HikariDataSource ds = dataSource(config);
        return new ManagerDeps(
                ds,
                new MinioPackageStore(
                                config.s3Endpoint(),
                                config.s3AccessKey(),
                                config.s3SecretKey(),
                                config.packagesBucket())
                        .ensureBucket(),
                new KafkaLinkPublisher(config.kafkaBootstrap(), config.linksTopic()),
                new KafkaEventPublisher(config.kafkaBootstrap(), config.eventsTopic()),
                new ElasticsearchLogSearch(config.elasticsearchUrl(), config.logsIndexPattern()),
                // Consul KV when CONSUL_HTTP_ADDR is set, else the PostgreSQL tables (V200)
                ConfigStores.fromEnvironment(config.configStoreEnv(), () -> ds));
    }

    public ManagerDeps withLinkPublisher(LinkPublisher publisher) {
        linkPublisher.close();
        return new ManagerDeps(
                dataSource, packageStore, publisher, eventPublisher, logSearch, configStores);
    }

    static HikariDataSource dataSource(ManagerConfig config) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(config.pgUrl());
        h.setUsername(config.pgUser());
        h.setPassword(config.pgPassword());
        h.setMaximumPoolSize(config.dbPoolSize());
        h.setPoolName("fx-manager");
        h.setConnectionTimeout(10_000);
        return new HikariDataSource(h);
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c :
                new AutoCloseable[] {
                    linkPublisher, eventPublisher, logSearch, packageStore, configStores, dataSource
                }) {
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e =
                    new IllegalStateException("closing manager dependencies failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
