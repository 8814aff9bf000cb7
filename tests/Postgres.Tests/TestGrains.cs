using Orleans;
using Orleans.Runtime;

namespace Switchboard.Postgres.Tests;

/// <summary>A grain whose state goes through the PostgreSQL storage provider under test.</summary>
[Alias("Switchboard.Postgres.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds to the total, writes the state and returns the new total.</summary>
    [Alias("Add")]
    Task<int> Add(int amount, string note);

    /// <summary>The state as this activation holds it, and whether the storage row exists.</summary>
    [Alias("Get")]
    Task<CounterSnapshot> Get();

    /// <summary>Clears the stored state.</summary>
    [Alias("Clear")]
    Task Clear();

    /// <summary>Deactivates after this call, so the next call reads the state from storage again.</summary>
    [Alias("Deactivate")]
    Task Deactivate();
}

/// <summary>The stored state: plain data so System.Text.Json writes it as-is.</summary>
[GenerateSerializer]
[Alias("Switchboard.Postgres.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Total { get; set; }

    [Id(1)]
    public List<string> Notes { get; set; } = [];
}

/// <summary>What <see cref="ICounterGrain.Get"/> returns.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Switchboard.Postgres.Tests.CounterSnapshot")]
public sealed record CounterSnapshot([property: Id(0)] int Total, [property: Id(1)] string[] Notes, [property: Id(2)] bool RecordExists, [property: Id(3)] string? ETag);

/// <inheritdoc cref="ICounterGrain" />
public sealed class CounterGrain(
    [PersistentState("counter", ClusterHost.StorageName)] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount, string note)
    {
        state.State.Total += amount;
        state.State.Notes.Add(note);
        await state.WriteStateAsync();
        return state.State.Total;
    }

    public Task<CounterSnapshot> Get() =>
        Task.FromResult(new CounterSnapshot(state.State.Total, [.. state.State.Notes], state.RecordExists, state.Etag));

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
