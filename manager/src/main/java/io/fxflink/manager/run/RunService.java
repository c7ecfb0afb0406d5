package io.fxflink.manager.run;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fxflink.contracts.cloudevents.FxExtensions;
import io.fxflink.contracts.cloudevents.PlatformEventTypes;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.manager.access.Principal;
import io.fxflink.manager.access.Role;
import io.fxflink.manager.api.ApiException;
import io.fxflink.manager.api.Db;
import io.fxflink.manager.event.EventPublisher;
import io.fxflink.manager.service.ServiceRepository;
import io.fxflink.manager.service.ServiceRepository.ServiceRow;
import io.fxflink.manager.service.ServiceRepository.VersionRow;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Manual runs: a {@code fx.platform.manual} event addressed to the service (fxservice). */
public final class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final Db db;
    private final EventPublisher publisher;
    private final ServiceRepository services = new ServiceRepository();

    public RunService(Db db, EventPublisher publisher) {
        this.db = db;
        this.publisher = publisher;
    }

    RunAccepted run(Principal caller, String service, String version, byte[] params) {
        if (params.length > TriggerEvent.MAX_DATA_BYTES) {
            throw ApiException.tooLarge(
                    "run parameters are "
                            + params.length
                            + " bytes (max "
                            + TriggerEvent.MAX_DATA_BYTES
                            + ")");
        }
        VersionRow target =
                db.read(
                        c -> {
                            ServiceRow s =
                                    services.find(c, service, false)
                                            .orElseThrow(
                                                    () ->
                                                            ApiException.notFound(
                                                                    "service '"
                                                                            + service
                                                                            + "' not found"));
                            caller.require(s.project(), Role.DEVELOPER);
                            if (!s.active()) {
                                throw ApiException.conflict(
                                        "service '"
                                                + service
                                                + "' is deactivated; activate it first");
                            }
                            String v = version != null ? version : s.defaultVersion();
                            if (v == null) {
                                throw ApiException.conflict(
                                        "service '" + service + "' has no versions");
                            }
                            return services.version(c, service, v)
                                    .orElseThrow(
                                            () ->
                                                    ApiException.badRequest(
                                                            "service '"
                                                                    + service
                                                                    + "' has no version '"
                                                                    + v
                                                                    + "'"));
                        });
        if (!target.manifest().manualTriggeringAllowed()) {
            throw ApiException.conflict(
                    "service '"
                            + service
                            + "' version '"
                            + target.version()
                            + "' does not allow manual triggering (allow_manual_triggering=false)");
        }
        CloudEventBuilder b =
                CloudEventBuilder.v1()
                        .withId(UUID.randomUUID().toString())
                        .withSource(URI.create(PlatformEventTypes.SOURCE))
                        .withType(PlatformEventTypes.MANUAL)
                        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                        .withSubject(service)
                        .withExtension(FxExtensions.TARGET_SERVICE, service);
        if (version != null) {
            b.withExtension(FxExtensions.TARGET_VERSION, version);
        }
        if (params.length > 0) {
            b.withDataContentType("application/json").withData(params);
        }
        CloudEvent event = b.build();
        try {
            publisher.publish(List.of(event));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while publishing the run");
        } catch (Exception e) {
            throw ApiException.unavailable(
                    "could not publish the run to Kafka; retry: " + e.getMessage());
        }
        LOG.info(
                "Manual run {} of {} {} requested by {}",
                event.getId(),
                service,
                target.version(),
                caller.tokenId());
        return new RunAccepted(event.getId(), service, target.version(), PlatformEventTypes.MANUAL);
    }
}
