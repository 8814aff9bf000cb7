namespace Switchboard.Runtime.Storage;

/// <summary>One named piece of a grain's durable state (Orleans' <c>IPersistentState&lt;T&gt;</c>). Created through
/// <see cref="IPersistentStateFactory"/>; <typeparamref name="T"/> must have a codec ([GenerateSerializer]).</summary>
public interface IPersistentState<T>
{
    /// <summary>The in-memory value; <c>default</c> until read or set.</summary>
    T? State { get; set; }

    /// <summary>True once a stored record was read or written.</summary>
    bool RecordExists { get; }

    /// <summary>ETag of the stored record this activation knows about.</summary>
    string? ETag { get; }

    /// <summary>Loads the stored value (or resets to default when none).</summary>
    Task ReadStateAsync(CancellationToken cancellationToken);

    /// <summary>Stores <see cref="State"/>; throws <see cref="InconsistentStateException"/> on a lost race.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the stored record and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken);
}
