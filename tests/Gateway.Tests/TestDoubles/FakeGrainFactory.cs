using System.Collections.Concurrent;
using Switchboard.Grains;
using Switchboard.Runtime;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// Hand-written <see cref="IGrainFactory"/>: connection grains per key, one health grain, observer references are the
/// objects themselves. Every factory and grain call goes to one <see cref="CallRecorder"/>, so tests can assert order
/// across grains and that nothing was called at all.
/// </summary>
internal sealed class FakeGrainFactory : IGrainFactory
{
    private readonly ConcurrentDictionary<string, FakeConnectionGrain> _connections = new();

    public FakeGrainFactory()
    {
        Health = new FakeHealthGrain(Recorder);
    }

    public CallRecorder Recorder { get; } = new();

    public FakeHealthGrain Health { get; }

    public Func<string, AttachResult>? StartResult { get; set; }

    public FakeConnectionGrain Connection(string key) => _connections[key];

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        Recorder.Record("GetGrain:" + typeof(TGrainInterface).Name, primaryKey);
        if (typeof(TGrainInterface) == typeof(IConnectionGrain))
        {
            var grain = _connections.GetOrAdd(primaryKey, key => new FakeConnectionGrain(key, Recorder));
            if (StartResult is not null)
            {
                grain.StartResult = StartResult(primaryKey);
            }

            return (TGrainInterface)(object)grain;
        }

        if (typeof(TGrainInterface) == typeof(IHealthGrain))
        {
            return (TGrainInterface)(object)Health;
        }

        throw new NotSupportedException(typeof(TGrainInterface).Name);
    }

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver
    {
        Recorder.Record(nameof(CreateObjectReference), obj);
        return (TGrainObserverInterface)obj;
    }

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver =>
        Recorder.Record(nameof(DeleteObjectReference), obj);
}
