using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Catalog;

/// <summary>
/// The activations of this silo, one per <see cref="GrainId"/>.
///
/// Invariants:
/// - At most one activation per id is in <see cref="_activations"/>; concurrent first messages race on GetOrAdd and
///   only the winner is started, so exactly one grain instance is created.
/// - An activation removes itself from the table when it becomes invalid (deactivated or failed). A message that meets
///   an invalid activation removes that exact entry (compare-and-remove) and retries on a fresh one.
/// - A message held by a deactivating activation is forwarded to the next one at most <see cref="MaxForwardCount"/> times.
/// - Messages the catalog cannot place (unknown interface, method or grain type; silo stopping) are rejected: requests
///   get a Rejected response at once, one-way messages are logged. Nothing is silently dropped.
/// Failure modes: re-delivery of held messages after a deactivation may interleave with messages that arrived in the
/// instant between the old activation turning invalid and leaving the table (order across that boundary is best effort).
/// </summary>
internal sealed class GrainCatalog
{
    // A message can meet an invalid activation only while it is leaving the table; a few retries always suffice.
    private const int MaxPlacementAttempts = 8;

    // Orleans' limit: a message handed on by more deactivations than this is failed, so a grain that deactivates
    // itself during activation cannot bounce a message forever.
    internal const int MaxForwardCount = 2;

    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly GrainClassRegistry _grainClasses;
    private readonly MessageCenter _messageCenter;
    private readonly RuntimeInstruments _instruments;
    private readonly ILogger<GrainCatalog> _logger;
    private readonly ActivationServices _services;
    private readonly IClusterRouting? _cluster;
    private volatile bool _stopping;

    public GrainCatalog(
        IServiceProvider services,
        GrainRuntime runtime,
        GrainClassRegistry grainClasses,
        MessageCenter messageCenter,
        TimeProvider timeProvider,
        IOptions<GrainCollectionOptions> options,
        RuntimeInstruments instruments,
        ILogger<GrainCatalog> logger)
    {
        _grainClasses = grainClasses;
        _messageCenter = messageCenter;
        _instruments = instruments;
        _logger = logger;
        _cluster = (IClusterRouting?)services.GetService(typeof(IClusterRouting));
        _services = new ActivationServices(services, runtime, runtime.SerializationContext, messageCenter, timeProvider, options.Value, instruments, logger, _cluster);
    }

    public int Count => _activations.Count;

    /// <summary>Live activations of one grain type; walks the table (cheap at health-report frequency).</summary>
    public int CountOfType(string grainType)
    {
        var count = 0;
        foreach (var key in _activations.Keys)
        {
            if (string.Equals(key.Type, grainType, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    internal bool TryGetActivation(GrainId grainId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GrainActivation? activation)
        => _activations.TryGetValue(grainId, out activation);

    public void Deliver(Message message)
    {
        _instruments.MessagesReceived.Add(1);
        if (_stopping && _cluster is not null && message.ForwardCount <= MaxForwardCount)
        {
            // A cluster silo that is handing its grains off passes stray messages on instead of refusing them.
            _cluster.Forward(message.Forwarded(), destination: null);
            return;
        }

        if (_stopping)
        {
            _messageCenter.Reject(message, new SiloUnavailableException($"Silo {_messageCenter.LocalId} is shutting down."));
            return;
        }

        if (message.ForwardCount > MaxForwardCount)
        {
            _messageCenter.Reject(message, new InvalidOperationException(
                $"Message to {message.Target} was forwarded by {message.ForwardCount} deactivating activations; giving up."));
            return;
        }

        if (!GrainInterfaceRegistry.TryGet(message.InterfaceId, out var descriptor) || descriptor.IsObserver)
        {
            _messageCenter.Reject(message, new NotSupportedException($"Interface id {message.InterfaceId} is not a known grain interface."));
            return;
        }

        if (!_grainClasses.TryGet(message.Target.Type, out var grainClass))
        {
            _messageCenter.Reject(message, new InvalidOperationException(
                $"No grain class is registered for grain type '{message.Target.Type}'; call AddGrain<TGrainInterface, TGrain>()."));
            return;
        }

        InvocationFlags flags;
        try
        {
            // The receiver's generated metadata decides scheduling, not the flags a sender put on the wire.
            flags = descriptor.Invoker.GetFlags(message.MethodId);
        }
        catch (CodecException ex)
        {
            _messageCenter.Reject(message, ex);
            return;
        }

        var item = WorkItem.ForMessage(message, descriptor.Invoker, flags);
        for (var attempt = 0; attempt < MaxPlacementAttempts; attempt++)
        {
            var activation = GetOrCreate(message.Target, grainClass);
            if (activation.TryEnqueue(item))
            {
                return;
            }

            _activations.TryRemove(KeyValuePair.Create(message.Target, activation));
        }

        _messageCenter.Reject(message, new InvalidOperationException($"Could not place a message on {message.Target}."));
    }

    /// <summary>Starts deactivation of every activation idle for at least <paramref name="age"/>; returns how many.</summary>
    public int CollectIdle(TimeSpan age)
    {
        var now = _services.TimeProvider.GetUtcNow();
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.TryCollectIfIdle(now, age))
            {
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Refuses new messages and deactivates every activation with <see cref="DeactivationReason.ShuttingDown"/>.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var activations = _activations.Values.ToArray();
        _logger.SiloStopping(_messageCenter.LocalId, activations.Length);
        await Task.WhenAll(activations.Select(a => a.DeactivateAsync(DeactivationReason.ShuttingDown))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void Remove(GrainActivation activation)
        => _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    private GrainActivation GetOrCreate(GrainId grainId, GrainClass grainClass)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        var created = new GrainActivation(grainId, grainClass, this, _services);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            created.Start();
        }

        return winner;
    }
}
