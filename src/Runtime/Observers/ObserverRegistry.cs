using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Observers;

/// <summary>
/// Local objects that grains may call back, addressed as <c>sys.observer/&lt;silo id&gt;/&lt;n&gt;</c>.
/// Invariants: one id per object (registering the same object again returns the same id); ids are never reused, so a
/// stale reference fails instead of reaching a different object; each observer runs one call at a time in arrival order.
/// Calls to an unknown or deleted observer are rejected (requests) or logged and dropped (one-way).
/// </summary>
internal sealed class ObserverRegistry(MessageCenter messageCenter, SiloIdentity identity, ILogger<ObserverRegistry> logger)
{
    private readonly ConcurrentDictionary<GrainId, ObserverEntry> _byId = new();
    private readonly Dictionary<object, ObserverEntry> _byObject = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();
    private long _next;

    public int Count => _byId.Count;

    public GrainId Register(IGrainObserver observer)
    {
        lock (_lock)
        {
            if (_byObject.TryGetValue(observer, out var existing))
            {
                return existing.Id;
            }

            var id = new GrainId(GrainId.ObserverType, $"{identity.Id}/{++_next}");
            var entry = new ObserverEntry(id, observer, messageCenter, logger);
            _byObject[observer] = entry;
            _byId[id] = entry;
            return id;
        }
    }

    public bool Unregister(IGrainObserver observer)
    {
        ObserverEntry? entry;
        lock (_lock)
        {
            if (!_byObject.Remove(observer, out entry))
            {
                return false;
            }

            _byId.TryRemove(entry.Id, out _);
        }

        entry.Stop();
        return true;
    }

    /// <summary>Unregisters every observer (silo shutdown); later calls to them are rejected.</summary>
    public void Clear()
    {
        ObserverEntry[] entries;
        lock (_lock)
        {
            entries = [.. _byObject.Values];
            _byObject.Clear();
            _byId.Clear();
        }

        foreach (var entry in entries)
        {
            entry.Stop();
        }
    }

    public void Deliver(Message message, SerializationContext context)
    {
        if (!_byId.TryGetValue(message.Target, out var entry))
        {
            messageCenter.Reject(message, new InvalidOperationException(
                $"Observer {message.Target} is not registered: it was deleted or its client restarted."));
            return;
        }

        if (!GrainInterfaceRegistry.TryGet(message.InterfaceId, out var descriptor) || !descriptor.IsObserver)
        {
            messageCenter.Reject(message, new NotSupportedException($"Interface id {message.InterfaceId} is not a known observer interface."));
            return;
        }

        entry.Enqueue(message, descriptor.Invoker, context);
    }
}
