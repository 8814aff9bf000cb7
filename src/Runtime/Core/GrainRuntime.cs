using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Observers;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Core;

/// <summary>
/// The caller's side of the runtime: hands out generated proxies and turns their calls into messages. Arguments are
/// copied out of the proxy's writer before sending, so the grain always works on its own deserialized copy.
/// </summary>
internal sealed class GrainRuntime : IGrainReferenceRuntime, IGrainFactory
{
    private readonly MessageCenter _messageCenter;
    private readonly ObserverRegistry _observers;
    private readonly ILogger<GrainRuntime> _logger;

    public GrainRuntime(MessageCenter messageCenter, ObserverRegistry observers, ILogger<GrainRuntime> logger)
    {
        _messageCenter = messageCenter;
        _observers = observers;
        _logger = logger;
        SerializationContext = new SerializationContext(this);
    }

    public SerializationContext SerializationContext { get; }

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        var descriptor = GrainInterfaceRegistry.Get(typeof(TGrainInterface));
        return (TGrainInterface)(object)descriptor.CreateReference(this, new GrainId(descriptor.GrainType, primaryKey));
    }

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not TGrainObserverInterface)
        {
            throw new ArgumentException($"The object does not implement {typeof(TGrainObserverInterface)}.", nameof(obj));
        }

        var descriptor = GrainInterfaceRegistry.Get(typeof(TGrainObserverInterface));
        var id = _observers.Register(obj);
        return (TGrainObserverInterface)(object)descriptor.CreateReference(this, id);
    }

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        _observers.Unregister(obj);
    }

    public async Task<ReadOnlyMemory<byte>> InvokeAsync(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = TakeBody(arguments);
        var response = await _messageCenter.SendRequestAsync(target.GrainId, target.InterfaceId, methodId, flags, body).ConfigureAwait(false);
        if (response.Status == ResponseStatus.Ok)
        {
            return response.Body;
        }

        throw ExceptionCodec.Read(new CodecReader(response.Body));
    }

    public void InvokeOneWay(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = TakeBody(arguments);
        try
        {
            _messageCenter.SendOneWay(target.GrainId, target.InterfaceId, methodId, flags, body);
        }
#pragma warning disable CA1031 // One-way calls never throw delivery failures to the caller; they are logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.OneWayFailed(ex, target.GrainId, methodId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public GrainReference GetReference(Type interfaceType, GrainId grainId)
        => GrainInterfaceRegistry.Get(interfaceType).CreateReference(this, grainId);

    // The copy is the argument isolation: once the call starts, nothing the caller does to its objects or the
    // pooled writer can reach the grain.
    private static byte[] TakeBody(CodecWriter arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            return arguments.ToArray();
        }
        finally
        {
            arguments.Dispose();
        }
    }
}
