-- Switchboard grain store: durable grain state and the cluster-wide grain directory (PostgreSQL 13+).
-- Applied at every start by PostgresGrainStorage / PostgresGrainDirectory.InitializeAsync, inside one transaction that
-- first takes pg_advisory_xact_lock, so concurrent starts serialize and the script must stay idempotent
-- (IF NOT EXISTS everywhere; never drop or rewrite data here).
-- Every row is scoped by cluster_id (ClusterOptions.ClusterId), so several clusters may share one database.

-- One row per (grain, state name). etag is replaced on every write; writes are conditional on it
-- (INSERT ... ON CONFLICT DO NOTHING when the writer expects no row, UPDATE ... WHERE etag = expected otherwise).
CREATE TABLE IF NOT EXISTS switchboard_grain_state (
    cluster_id  varchar(150) NOT NULL,
    grain_type  varchar(150) NOT NULL,
    grain_key   varchar(512) NOT NULL,
    state_name  varchar(150) NOT NULL,
    etag        varchar(64)  NOT NULL,
    data        bytea        NOT NULL,
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (cluster_id, grain_type, grain_key, state_name)
);

-- One row per grain: the activation that won registration. silo is the SiloAddress text (host:port@generation).
CREATE TABLE IF NOT EXISTS switchboard_grain_directory (
    cluster_id     varchar(150) NOT NULL,
    grain_type     varchar(150) NOT NULL,
    grain_key      varchar(512) NOT NULL,
    silo           varchar(100) NOT NULL,
    activation_id  varchar(64)  NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (cluster_id, grain_type, grain_key)
);

-- UnregisterSilo deletes every entry of a dead silo.
CREATE INDEX IF NOT EXISTS switchboard_grain_directory_silo ON switchboard_grain_directory (cluster_id, silo);
