-- Switchboard cluster membership (Orleans' ADO.NET clustering schema, adapted).
-- Applied by PostgresMembershipTable.InitializeAsync inside a transaction holding pg_advisory_xact_lock, so
-- concurrent starts of several silos cannot race on CREATE TABLE. Idempotent: safe to run on every start.
--
-- Invariant: every change to switchboard_membership rows of a cluster (insert, status, votes) bumps that cluster's
-- version row in the same transaction, and only if the version still equals the one the writer read. The version
-- row is therefore the compare-and-swap for the whole cluster's table. IAmAlive heartbeats are the one exception:
-- a blind write of iamalive_time that leaves the version alone.

CREATE TABLE IF NOT EXISTS switchboard_membership_version
(
    cluster_id varchar(150) NOT NULL PRIMARY KEY,
    version    bigint       NOT NULL DEFAULT 0,
    updated_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS switchboard_membership
(
    cluster_id    varchar(150) NOT NULL REFERENCES switchboard_membership_version (cluster_id),
    address       varchar(64)  NOT NULL,
    port          integer      NOT NULL,
    generation    integer      NOT NULL,
    silo_name     varchar(150) NOT NULL,
    host_name     varchar(150) NOT NULL,
    status        integer      NOT NULL,
    -- Death votes: '<host:port@generation>,<ISO 8601 time>|...'; NULL when there are none.
    suspect_times text         NULL,
    start_time    timestamptz  NOT NULL,
    iamalive_time timestamptz  NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);
