using System.Collections.Concurrent;
using Orleans.Runtime;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// Hand-written <see cref="IGrainFactory"/> for hosts without a silo: connection grains per key, one health grain,
/// observer references are the objects themselves. Only the three members the gateway uses are implemented (string-keyed
/// <c>GetGrain</c>, <c>CreateObjectReference</c>, <c>DeleteObjectReference</c>); the others throw, so a gateway that starts
/// using one fails loudly here. Every factory and grain call goes to one <see cref="CallRecorder"/>, so tests can assert
/// order across grains and that nothing was called at all.
/// </summary>
internal sealed class FakeGrainFactory : IGrainFactory
{
    private readonly ConcurrentDictionary<string, FakeConnectionGrain> _connections = new();

    public FakeGrainFactory()
    {
        Health = new FakeHealthGrain(Recorder);
    }

    public CallRecorder Recorder { get; } = new();

    /// <summary>Ping round trips reported to any connection grain. Kept apart from <see cref="Recorder"/>: they are one-way
    /// samples the transport measures whenever a PONG arrives, unordered with the session's calls by contract.</summary>
    public CallRecorder RoundTrips { get; } = new();

    public FakeHealthGrain Health { get; }

    public Func<string, AttachResult>? StartResult { get; set; }

    /// <summary>When set and not answering null, answers every connection grain's <c>Deliver</c> (after the events were applied).</summary>
    public Func<InboundBatch, Task<DeliveryAck>?>? DeliverBehavior { get; set; }

    public FakeConnectionGrain Connection(string key) => _connections[key];

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey
    {
        Recorder.Record("GetGrain:" + typeof(TGrainInterface).Name, primaryKey);
        if (typeof(TGrainInterface) == typeof(IConnectionGrain))
        {
            var grain = _connections.GetOrAdd(primaryKey, key => new FakeConnectionGrain(key, this));
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

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unused();

    public IAddressable GetGrain(GrainId grainId) => throw Unused();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unused();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw Unused();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw Unused();

    private static NotSupportedException Unused() => new("The gateway does not use this IGrainFactory member.");
}
