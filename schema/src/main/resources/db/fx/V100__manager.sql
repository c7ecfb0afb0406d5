-- Manager: projects, API tokens, services and their versions, links, and the transactional
-- outbox that carries link and service changes to the compacted fx.links topic.

CREATE TABLE projects (
    name       text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO projects (name) VALUES ('default');

-- tokens are random 256-bit values: only their SHA-256 is stored
CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    name         text        NOT NULL,
    token_sha256 text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

-- project '*' means every project (the first admin token)
CREATE TABLE api_token_roles (
    token_id text NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    project  text NOT NULL,
    role     text NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
    PRIMARY KEY (token_id, project)
);

-- one version sequence for every value published on fx.links: receivers drop stale versions,
-- and a deleted-then-recreated key still gets a higher version than before
CREATE SEQUENCE fx_links_version;

CREATE TABLE services (
    name            text PRIMARY KEY,
    project         text        NOT NULL REFERENCES projects (name),
    active          boolean     NOT NULL DEFAULT true,
    default_version text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_project ON services (project);

CREATE TABLE service_versions (
    service     text        NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    version     text        NOT NULL,
    sha256      text        NOT NULL,
    package_key text        NOT NULL,
    size_bytes  bigint      NOT NULL,
    manifest    jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, version)
);

CREATE TABLE links (
    id                text PRIMARY KEY,
    project           text        NOT NULL REFERENCES projects (name),
    version           bigint      NOT NULL,
    event_type        text        NOT NULL,
    match             text        NOT NULL CHECK (match IN ('EXACT', 'PREFIX')),
    filter            text,
    service           text        NOT NULL,
    service_version   text,
    weighted_versions jsonb,
    enabled           boolean     NOT NULL,
    origin            text        NOT NULL CHECK (origin IN ('api', 'manifest')),
    updated_at        timestamptz NOT NULL
);
CREATE INDEX links_service ON links (service);
CREATE INDEX links_project ON links (project);

-- written in the same transaction as the change; the relay publishes in seq order and marks
-- rows sent only after Kafka acknowledged them (acks=all), so a crash re-sends instead of losing
CREATE TABLE links_outbox (
    seq        bigserial PRIMARY KEY,
    topic_key  text        NOT NULL,
    value      bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX links_outbox_unsent ON links_outbox (seq) WHERE sent_at IS NULL;
