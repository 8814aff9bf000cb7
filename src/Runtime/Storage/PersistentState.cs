using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// One named state of one grain over <see cref="IGrainStorage"/>, serialized with the runtime's codecs in the silo's
/// <see cref="SerializationContext"/> (so grain and observer references in the state are rebuilt as live references).
/// Used from grain turns only (not thread-safe), like the rest of the grain's fields.
/// Failures: a lost optimistic-concurrency race is <see cref="InconsistentStateException"/>, anything else from the store or
/// the codecs is <see cref="GrainStorageException"/>; both name the grain and the state, and leave
/// <see cref="State"/>, <see cref="ETag"/> and <see cref="RecordExists"/> as they were. Cancellation passes through.
/// </summary>
internal sealed class PersistentState<T>(GrainId grainId, string stateName, IGrainStorage storage, SerializationContext context) : IPersistentState<T>
{
    public T? State { get; set; }

    public bool RecordExists { get; private set; }

    public string? ETag { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        GrainStateRecord? record;
        try
        {
            record = await storage.ReadAsync(grainId, stateName, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InconsistentStateException)
        {
            throw Failed("Reading", ex);
        }

        if (record is null)
        {
            State = default;
            ETag = null;
            RecordExists = false;
            return;
        }

        T? value;
        try
        {
            var reader = new CodecReader(record.Data, context);
            value = reader.Read<T>();
            if (reader.Remaining != 0)
            {
                throw new CodecException($"{reader.Remaining} bytes left after the state value.");
            }
        }
        catch (CodecException ex)
        {
            throw Failed("Decoding", ex);
        }

        State = value;
        ETag = record.ETag;
        RecordExists = true;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken)
    {
        byte[] data;
        using (var writer = new CodecWriter())
        {
            try
            {
                writer.Write(State);
            }
            catch (Exception ex) when (ex is CodecException or InvalidOperationException)
            {
                throw Failed("Encoding", ex);
            }

            data = writer.ToArray();
        }

        try
        {
            ETag = await storage.WriteAsync(grainId, stateName, data, ETag, cancellationToken);
            RecordExists = true;
        }
        catch (InconsistentStateException ex)
        {
            throw Conflict("Writing", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Failed("Writing", ex);
        }
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.ClearAsync(grainId, stateName, ETag, cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            throw Conflict("Clearing", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Failed("Clearing", ex);
        }

        State = default;
        ETag = null;
        RecordExists = false;
    }

    private GrainStorageException Failed(string operation, Exception ex)
        => new($"{operation} state '{stateName}' of grain {grainId} failed: {ex.Message}", ex);

    private InconsistentStateException Conflict(string operation, InconsistentStateException ex)
        => new($"{operation} state '{stateName}' of grain {grainId} lost a concurrency race (this activation held ETag {ETag ?? "(no record)"}): {ex.Message}", ex);
}
