using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.CodeGeneration;

public sealed class GeneratedCodeTests
{
    [Fact]
    public async Task Invoker_UnknownMethodId_ThrowsCodecException()
    {
        var descriptor = GrainInterfaceRegistry.Get(typeof(IGeneratedTestGrain));
        using var result = new CodecWriter();

        await Assert.ThrowsAsync<CodecException>(
            async () => await descriptor.Invoker.InvokeAsync(new TestGrain(), 999, new CodecReader(Array.Empty<byte>()), result));
        Assert.Throws<CodecException>(() => descriptor.Invoker.GetFlags(999));
    }

    [Fact]
    public void Serializer_FieldCountMismatch_ThrowsCodecExceptionNamingType()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteVarUInt32(2);

        var error = Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<Payload>());
        Assert.Contains("Payload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_NullInNonNullableField_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteVarUInt32(3);
        writer.WriteString(null);
        writer.Write<IReadOnlyList<int>>([]);
        writer.WriteString(null);

        Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<Payload>());
    }

    [Fact]
    public void Serializer_RecordAndInitClass_RoundTrip()
    {
        var payload = new Payload("n", [1, 2], null);
        using var writer = new CodecWriter();
        writer.Write(payload);
        writer.Write(new MutableBag { Label = "L", Count = 3 });
        var reader = new CodecReader(writer.ToArray());

        var copy = reader.Read<Payload>();
        var bag = reader.Read<MutableBag>();

        Assert.Equal(payload.Name, copy.Name);
        Assert.Equal(payload.Values, copy.Values);
        Assert.Null(copy.Note);
        Assert.Equal(("L", 3), (bag.Label, bag.Count));
    }

    [Fact]
    public void Registry_GeneratedInterfaces_HaveGrainTypesIdsAndFlags()
    {
        var grain = GrainInterfaceRegistry.Get(typeof(IGeneratedTestGrain));
        var named = GrainInterfaceRegistry.Get(typeof(INamedGrain));
        var observer = GrainInterfaceRegistry.Get(typeof(IEchoObserver));

        Assert.Equal("generatedtest", grain.GrainType);
        Assert.Equal("custom-name", named.GrainType);
        Assert.True(observer.IsObserver);
        Assert.False(grain.IsObserver);
        Assert.True(GrainInterfaceRegistry.TryGet(grain.InterfaceId, out var byId));
        Assert.Same(grain, byId);
        Assert.NotEqual(grain.InterfaceId, named.InterfaceId);

        // Inherited methods come first: Base() is id 0.
        Assert.Equal("IGeneratedTestGrain.Base", grain.Invoker.GetMethodName(0));
        Assert.Equal(InvocationFlags.OneWay, grain.Invoker.GetFlags(5));
        Assert.Equal(InvocationFlags.AlwaysInterleave, grain.Invoker.GetFlags(6));
        Assert.Equal(InvocationFlags.ReadOnly, grain.Invoker.GetFlags(7));
        Assert.Equal(InvocationFlags.None, grain.Invoker.GetFlags(2));
    }

    [Fact]
    public async Task Proxy_EveryReturnKind_RoundTripsThroughBytes()
    {
        var target = new TestGrain();
        var runtime = new LoopbackRuntime(target);
        var grain = (IGeneratedTestGrain)runtime.GetReference(typeof(IGeneratedTestGrain), new GrainId("generatedtest", "k"));
        var payload = new Payload("p", [1, 2, 3], "note");

        Assert.Equal("base", await grain.Base());
        await grain.Void(42);
        var echoed = await grain.Echo(payload);
        await grain.ValueVoid();
        var sum = await grain.ValueSum([1, 2, 3]);
        await grain.Fire("fired");
        var query = await grain.Query();

        Assert.Equal(42, target.LastVoid);
        Assert.Equal(payload.Name, echoed.Name);
        Assert.Equal(payload.Values, echoed.Values);
        Assert.NotSame(payload, target.LastPayload);
        Assert.NotSame(payload.Values, target.LastPayload!.Values);
        Assert.True(target.ValueVoidCalled);
        Assert.Equal(6, sum);
        Assert.Equal("fired", await target.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(7, query);
        Assert.Contains(runtime.Calls, c => c.Flags == InvocationFlags.OneWay);
    }

    [Fact]
    public async Task Proxy_ObserverArgument_ArrivesAsReferenceThatCallsBack()
    {
        var target = new TestGrain();
        var runtime = new LoopbackRuntime(target);
        var grain = (IGeneratedTestGrain)runtime.GetReference(typeof(IGeneratedTestGrain), new GrainId("generatedtest", "k"));
        var observerReference = (IEchoObserver)runtime.GetReference(typeof(IEchoObserver), new GrainId(GrainId.ObserverType, "client/1"));

        var answer = await grain.Subscribe(observerReference);

        Assert.Equal("sys.observer/client/1", answer);
        Assert.IsAssignableFrom<GrainReference>(target.LastObserver);
        Assert.NotSame(observerReference, target.LastObserver);
    }

    [Fact]
    public void Proxy_PassingAnObjectInsteadOfAReference_ThrowsInvalidOperation()
    {
        var runtime = new LoopbackRuntime(new TestGrain());
        var grain = (IGeneratedTestGrain)runtime.GetReference(typeof(IGeneratedTestGrain), new GrainId("generatedtest", "k"));

        // The proxy serializes arguments before returning its task, so the misuse surfaces at the call site.
        Assert.Throws<InvalidOperationException>(() => { _ = grain.Subscribe(new LocalObserver()); });
    }

    private sealed class LocalObserver : IEchoObserver
    {
        public Task Heard(string text) => Task.CompletedTask;
    }

    private sealed class TestGrain : IGeneratedTestGrain
    {
        public int LastVoid { get; private set; }

        public Payload? LastPayload { get; private set; }

        public bool ValueVoidCalled { get; private set; }

        public IEchoObserver? LastObserver { get; private set; }

        public TaskCompletionSource<string> Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Base() => Task.FromResult("base");

        public Task Void(int value)
        {
            LastVoid = value;
            return Task.CompletedTask;
        }

        public Task<Payload> Echo(Payload payload)
        {
            LastPayload = payload;
            return Task.FromResult(payload);
        }

        public ValueTask ValueVoid()
        {
            ValueVoidCalled = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask<long> ValueSum(IReadOnlyList<long> values) => ValueTask.FromResult(values.Sum());

        public Task Fire(string text)
        {
            Fired.TrySetResult(text);
            return Task.CompletedTask;
        }

        public Task<int> Query() => Task.FromResult(7);

        public Task<MutableBag> Bag(MutableBag bag) => Task.FromResult(bag);

        public Task<string> Subscribe(IEchoObserver observer)
        {
            LastObserver = observer;
            return Task.FromResult(((GrainReference)observer).GrainId.ToString());
        }
    }
}
