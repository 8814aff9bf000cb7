using Switchboard.Runtime.Invocation;
using F = Switchboard.Runtime.Invocation.InvocationFlags;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

/// <summary>Hand-written stand-in for the generated proxy and invoker of <see cref="IFailingGrain"/>.</summary>
internal static class FailingGrainManualCode
{
    public static readonly ManualInvoker Invoker = new(
    [
        new("Ping", F.None, async (t, r, w) => w.WriteVarInt32(await ((IFailingGrain)t).Ping())),
    ]);

    public static GrainInterfaceDescriptor Descriptor { get; } = new(
        typeof(IFailingGrain), ManualCodec.InterfaceIdOf(typeof(IFailingGrain)), "failing", false, (runtime, id) => new Proxy(runtime, id), Invoker);

    private sealed class Proxy(IGrainReferenceRuntime runtime, GrainId grainId) : ManualProxy(runtime, grainId, Invoker), IFailingGrain
    {
        public override Type InterfaceType => typeof(IFailingGrain);

        public Task<int> Ping() => Call(0, _ => { }, r => r.ReadVarInt32());
    }
}
