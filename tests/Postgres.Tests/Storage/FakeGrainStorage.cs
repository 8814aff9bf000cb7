using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Switchboard.Postgres.Tests.Storage;

/// <summary>An inner grain storage whose every call runs <see cref="Next"/> (completes by default) and is counted.</summary>
internal sealed class FakeGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private int _calls;

    /// <summary>What the next calls do; given the call's cancellation token.</summary>
    public Func<CancellationToken, Task> Next { get; set; } = _ => Task.CompletedTask;

    /// <summary>Calls that reached this store.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public int Participations { get; private set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) => Run(cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) => Run(cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) => Run(cancellationToken);

    public void Participate(ISiloLifecycle lifecycle) => Participations++;

    private Task Run(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Next(cancellationToken);
    }
}
