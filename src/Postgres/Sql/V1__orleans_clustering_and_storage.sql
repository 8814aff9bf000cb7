-- Schema version 1: the tables and query rows that Orleans 10.4.2's ADO.NET clustering and grain storage
-- providers (invariant "Npgsql") need. Written for Switchboard; PostgreSQL 15 or later (NULLS NOT DISTINCT).
--
-- The contract with the providers (read from the 10.4.2 assemblies and checked by Switchboard.Postgres.Tests):
--   * Each provider loads its SQL at start with SELECT QueryKey, QueryText FROM OrleansQuery and caches it, so a
--     changed query only takes effect when silos and clients restart.
--   * Parameters are bound by name (@DeploymentId, @GrainIdHash, ...) with fixed DbTypes; results are read by column
--     name (case-insensitive, so PostgreSQL's lower-cased identifiers match) or, for some, by position.
--   * Membership rows are scoped by DeploymentId (= ClusterId), storage rows by ServiceId. Status 3 = Active,
--     6 = Dead. The table version (OrleansMembershipVersionTable.Version) is Orleans' optimistic-concurrency token:
--     a membership write succeeds only if the caller's version is current, and then bumps it, all-or-nothing.
--   * Conditional writes answer with one row and one column: non-zero when applied, zero when not.
--   * Grain storage versions are the ETag: a write or clear with a stale version must change nothing and answer a
--     NULL (or the old) version, which the provider turns into InconsistentStateException.
--
-- This script runs once, in PostgresSchema's transaction; a later change goes in V2__... and so on.

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- One row per cluster: the membership table version and when it last changed.
CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port, generation). Deleting a cluster's version row deletes its silos.
-- ProxyPort is NOT NULL (0 = no gateway) because the providers read it as an integer on every row.
CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL DEFAULT 0,
    SuspectTimes text         NULL,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Grain state. The integer hashes come first in the key so that look-ups by grain land on one index entry even for
-- string-keyed grains (whose N0/N1 are zero and whose key is the extension string). NULLS NOT DISTINCT makes a
-- NULL extension a value like any other, so INSERT ... ON CONFLICT lets only one first write of a grain win.
-- PostgreSQL refuses index entries above ~2.7 kB, so a pathological key fails loudly instead of being stored.
CREATE TABLE OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL
);

CREATE UNIQUE INDEX OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
    NULLS NOT DISTINCT;

-- The query rows. Dollar quoting keeps the SQL readable; the providers substitute the @names.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row on first start; 1 if this call created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM created
$q$),

-- Adds a silo row if the caller's table version is current, and bumps the version; both or neither.
-- FOR UPDATE holds the version row while the statement runs: a concurrent writer waits, then sees the new version
-- and changes nothing. A row that already exists (ON CONFLICT) leaves the version untouched.
('InsertMembershipKey', $q$
WITH current_version AS (
    SELECT DeploymentId
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND Version = @Version
    FOR UPDATE
), added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM current_version
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId IN (SELECT DeploymentId FROM added)
    RETURNING 1
)
SELECT count(*) FROM bumped
$q$),

-- Changes a silo's status, suspicions and heartbeat if the caller's table version is current; same locking as above.
('UpdateMembershipKey', $q$
WITH current_version AS (
    SELECT DeploymentId
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND Version = @Version
    FOR UPDATE
), changed AS (
    UPDATE OrleansMembershipTable AS silo
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    FROM current_version
    WHERE silo.DeploymentId = current_version.DeploymentId
      AND silo.Address = @Address AND silo.Port = @Port AND silo.Generation = @Generation
    RETURNING silo.DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId IN (SELECT DeploymentId FROM changed)
    RETURNING 1
)
SELECT count(*) FROM bumped
$q$),

-- The heartbeat: touches only the silo's own row and never the table version (the provider ignores the result).
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),

-- One silo and the table version. The outer join still yields the version when the silo has no row; the provider
-- treats a row with a NULL StartTime as "no silo".
('MembershipReadRowKey', $q$
SELECT version.DeploymentId,
       silo.Address, silo.Port, silo.Generation, silo.SiloName, silo.HostName, silo.Status, silo.ProxyPort,
       silo.SuspectTimes, silo.StartTime, silo.IAmAliveTime,
       version.Version
FROM OrleansMembershipVersionTable AS version
LEFT JOIN OrleansMembershipTable AS silo
       ON silo.DeploymentId = version.DeploymentId
      AND silo.Address = @Address AND silo.Port = @Port AND silo.Generation = @Generation
WHERE version.DeploymentId = @DeploymentId
$q$),

-- Every silo of the cluster and the table version, from one snapshot.
('MembershipReadAllKey', $q$
SELECT version.DeploymentId,
       silo.Address, silo.Port, silo.Generation, silo.SiloName, silo.HostName, silo.Status, silo.ProxyPort,
       silo.SuspectTimes, silo.StartTime, silo.IAmAliveTime,
       version.Version
FROM OrleansMembershipVersionTable AS version
LEFT JOIN OrleansMembershipTable AS silo ON silo.DeploymentId = version.DeploymentId
WHERE version.DeploymentId = @DeploymentId
$q$),

-- What clients connect to: silos in the requested status (the provider asks for Active) that expose a gateway.
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),

-- Removes a whole cluster; the foreign key's cascade takes its silo rows.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId
$q$),

-- Old Dead silos, by cut-off time (used by providers that lack the per-row query below). Only Dead rows go:
-- a silo that stopped heartbeating without being declared Dead is still the cluster's business.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
$q$),

-- Optional in 10.4.2, preferred when present: the provider reads the table, picks Dead rows older than the cut-off,
-- and deletes each only if it is still exactly what it read (same start, heartbeat and suspicions).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes
$q$),

-- Grain state and its version (the ETag). No row: the grain has never been written.
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- With a version: update if it is still current. Without one (never stored): insert, unless another activation got
-- there first. Answers the new version, or NULL when nothing was written (a conflict).
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, Version = Version + 1, ModifiedOn = now()
    WHERE @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
         PayloadBinary, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
           @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
        DO NOTHING
    RETURNING Version
)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted) AS NewGrainStateVersion
$q$),

-- Clear keeps the row (payload NULL) and moves the version on, so a stale activation still conflicts afterwards.
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion
$q$),

-- Used instead of ClearStorageKey when a provider sets DeleteStateOnClear; answers a version unlike the caller's.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version + 1 AS NewGrainStateVersion
$q$);
