using Switchboard.Runtime.Invocation;
using F = Switchboard.Runtime.Invocation.InvocationFlags;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

/// <summary>Hand-written stand-in for the generated proxy and invoker of <see cref="ITestObserver"/>.</summary>
internal static class TestObserverManualCode
{
    public static readonly ManualInvoker Invoker = new(
    [
        new("OnValue", F.None, async (t, r, w) => await ((ITestObserver)t).OnValue(r.ReadVarInt32())),
        new("OnNotify", F.OneWay, async (t, r, w) => await ((ITestObserver)t).OnNotify(r.ReadVarInt32())),
    ]);

    public static GrainInterfaceDescriptor Descriptor { get; } = new(
        typeof(ITestObserver), ManualCodec.InterfaceIdOf(typeof(ITestObserver)), GrainId.ObserverType, true, (runtime, id) => new Proxy(runtime, id), Invoker);

    private sealed class Proxy(IGrainReferenceRuntime runtime, GrainId grainId) : ManualProxy(runtime, grainId, Invoker), ITestObserver
    {
        public override Type InterfaceType => typeof(ITestObserver);

        public Task OnValue(int value) => Call(0, w => w.WriteVarInt32(value));

        public Task OnNotify(int value) => Send(1, w => w.WriteVarInt32(value));
    }
}
