using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;
using F = Switchboard.Runtime.Invocation.InvocationFlags;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

/// <summary>Hand-written stand-in for the generated proxy and invoker of <see cref="ITestGrain"/>.</summary>
internal static class TestGrainManualCode
{
    public static readonly ManualInvoker Invoker = new(
    [
        new("Enter", F.None, async (t, r, w) => w.WriteVarInt32(await ((ITestGrain)t).Enter(r.ReadVarInt32()))),
        new("GetSequence", F.None, async (t, r, w) => ManualCodec.WriteInts(w, await ((ITestGrain)t).GetSequence())),
        new("Block", F.None, async (t, r, w) => await ((ITestGrain)t).Block(r.ReadString()!)),
        new("Peek", F.AlwaysInterleave, async (t, r, w) => w.WriteVarInt32(await ((ITestGrain)t).Peek())),
        new("ReadBlocked", F.ReadOnly, async (t, r, w) => await ((ITestGrain)t).ReadBlocked(r.ReadString()!)),
        new("Throw", F.None, async (t, r, w) => await ((ITestGrain)t).Throw(r.ReadString()!, r.ReadString()!)),
        new("FireAndThrow", F.OneWay, async (t, r, w) => await ((ITestGrain)t).FireAndThrow(r.ReadVarInt32())),
        new("GetOneWayCount", F.None, async (t, r, w) => w.WriteVarInt32(await ((ITestGrain)t).GetOneWayCount())),
        new("Store", F.None, async (t, r, w) => await ((ITestGrain)t).Store(ManualCodec.ReadStrings(r))),
        new("GetStored", F.None, async (t, r, w) => ManualCodec.WriteStrings(w, await ((ITestGrain)t).GetStored())),
        new("StartTimer", F.None, async (t, r, w) => await ((ITestGrain)t).StartTimer(
            r.ReadVarInt32(), r.ReadVarInt32(), r.ReadBoolean(), r.ReadBoolean(), r.ReadString()!, r.ReadBoolean())),
        new("Deactivate", F.None, async (t, r, w) => await ((ITestGrain)t).Deactivate()),
        new("DelayDeactivation", F.None, async (t, r, w) => await ((ITestGrain)t).DelayDeactivation(r.ReadVarInt32())),
        new("Notify", F.None, async (t, r, w) => await ((ITestGrain)t).Notify(
            ManualCodec.ReadReference<ITestObserver>(r), r.ReadVarInt32(), r.ReadBoolean())),
        new("ChangeTimer", F.None, async (t, r, w) => await ((ITestGrain)t).ChangeTimer(r.ReadVarInt32(), r.ReadVarInt32())),
        new("StopTimer", F.None, async (t, r, w) => await ((ITestGrain)t).StopTimer()),
    ]);

    public static GrainInterfaceDescriptor Descriptor { get; } = new(
        typeof(ITestGrain), ManualCodec.InterfaceIdOf(typeof(ITestGrain)), "test", false, (runtime, id) => new Proxy(runtime, id), Invoker);

    private sealed class Proxy(IGrainReferenceRuntime runtime, GrainId grainId) : ManualProxy(runtime, grainId, Invoker), ITestGrain
    {
        public override Type InterfaceType => typeof(ITestGrain);

        public Task<int> Enter(int sequence) => Call(0, w => w.WriteVarInt32(sequence), r => r.ReadVarInt32());

        public Task<int[]> GetSequence() => Call(1, _ => { }, ManualCodec.ReadInts);

        public Task Block(string gate) => Call(2, w => w.WriteString(gate));

        public Task<int> Peek() => Call(3, _ => { }, r => r.ReadVarInt32());

        public Task ReadBlocked(string gate) => Call(4, w => w.WriteString(gate));

        public Task Throw(string kind, string message) => Call(5, w =>
        {
            w.WriteString(kind);
            w.WriteString(message);
        });

        public Task FireAndThrow(int value) => Send(6, w => w.WriteVarInt32(value));

        public Task<int> GetOneWayCount() => Call(7, _ => { }, r => r.ReadVarInt32());

        public Task Store(List<string> items) => Call(8, w => ManualCodec.WriteStrings(w, items));

        public Task<List<string>> GetStored() => Call(9, _ => { }, ManualCodec.ReadStrings);

        public Task StartTimer(int dueSeconds, int periodSeconds, bool keepAlive, bool interleave, string gate, bool fail) => Call(10, w =>
        {
            w.WriteVarInt32(dueSeconds);
            w.WriteVarInt32(periodSeconds);
            w.WriteBoolean(keepAlive);
            w.WriteBoolean(interleave);
            w.WriteString(gate);
            w.WriteBoolean(fail);
        });

        public Task ChangeTimer(int dueSeconds, int periodSeconds) => Call(14, w =>
        {
            w.WriteVarInt32(dueSeconds);
            w.WriteVarInt32(periodSeconds);
        });

        public Task StopTimer() => Call(15, _ => { });

        public Task Deactivate() => Call(11, _ => { });

        public Task DelayDeactivation(int seconds) => Call(12, w => w.WriteVarInt32(seconds));

        public Task Notify(ITestObserver observer, int count, bool oneWay) => Call(13, w =>
        {
            ManualCodec.WriteReference(w, observer);
            w.WriteVarInt32(count);
            w.WriteBoolean(oneWay);
        });
    }
}
