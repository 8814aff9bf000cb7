namespace Switchboard.Postgres;

/// <summary>What <see cref="PostgresSchema.ApplyAsync"/> found and left.</summary>
/// <param name="PreviousVersion">The schema version recorded before the call (0 for an empty database).</param>
/// <param name="CurrentVersion">The schema version recorded after the call.</param>
public readonly record struct SchemaApplyResult(int PreviousVersion, int CurrentVersion)
{
    /// <summary>Whether this call applied any script (false when another process or an earlier start already had).</summary>
    public bool Applied => CurrentVersion > PreviousVersion;
}
