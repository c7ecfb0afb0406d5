-- Config values and secrets by scope (the embedded default behind ConfigStore / SecretStore).
-- scope_level is PLATFORM, PROJECT or SERVICE; the platform scope has scope_name ''.

CREATE TABLE config_entries (
    scope_level text        NOT NULL CHECK (scope_level IN ('PLATFORM', 'PROJECT', 'SERVICE')),
    scope_name  text        NOT NULL,
    key         text        NOT NULL,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope_level, scope_name, key)
);

-- values are AES-GCM ciphertext (nonce || ciphertext+tag), bound to their row by the
-- associated data; key_id says which key encrypted them, so a wrong key fails with a clear message
CREATE TABLE secrets (
    scope_level text        NOT NULL CHECK (scope_level IN ('PLATFORM', 'PROJECT', 'SERVICE')),
    scope_name  text        NOT NULL,
    name        text        NOT NULL,
    ciphertext  bytea       NOT NULL,
    key_id      text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope_level, scope_name, name)
);
