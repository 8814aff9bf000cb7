using System.Text;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.CodeGeneration;

public sealed class GeneratedCodeTests
{
    private readonly LoopbackRuntime _runtime = new();
    private readonly TestGrain _grain = new();
    private readonly ITestDerivedGrain _reference;

    public GeneratedCodeTests()
    {
        _reference = _runtime.GetGrain<ITestDerivedGrain>("g1");
        _runtime.Host(new GrainId("custom-derived", "g1"), _grain);
    }

    [Fact]
    public void Invoker_UnknownMethodId_ThrowsCodecException()
    {
        var invoker = GrainInterfaceRegistry.Get(typeof(ITestGrain)).Invoker;

        Assert.Throws<CodecException>(() => invoker.GetFlags(7));
        Assert.Throws<CodecException>(() => invoker.GetMethodName(ushort.MaxValue));
    }

    [Fact]
    public async Task InvokerInvokeAsync_UnknownMethodId_ThrowsCodecException()
    {
        var invoker = GrainInterfaceRegistry.Get(typeof(ITestGrain)).Invoker;
        using var result = new CodecWriter();

        await Assert.ThrowsAsync<CodecException>(async () => await invoker.InvokeAsync(_grain, 99, new CodecReader(Array.Empty<byte>()), result));
    }

    [Fact]
    public async Task InvokerInvokeAsync_TruncatedArguments_ThrowsCodecException()
    {
        var invoker = GrainInterfaceRegistry.Get(typeof(ITestGrain)).Invoker;
        using var result = new CodecWriter();

        // Method 4 (Notify) takes a string; a length prefix of 5 with no bytes after it is truncated.
        await Assert.ThrowsAsync<CodecException>(async () => await invoker.InvokeAsync(_grain, 4, new CodecReader(new byte[] { 5 }), result));
        Assert.Empty(_grain.Log);
    }

    [Fact]
    public async Task Proxy_LocalObjectPassedAsObserver_ThrowsInvalidOperation()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _reference.Subscribe(new TestObserver(), null));

        Assert.Contains("pass a reference created by IGrainFactory", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_runtime.Calls);
    }

    [Fact]
    public void Registry_GrainInterfaces_RegisteredWithIdsAndGrainTypes()
    {
        var baseDescriptor = GrainInterfaceRegistry.Get(typeof(ITestGrain));
        var derived = GrainInterfaceRegistry.Get(typeof(ITestDerivedGrain));
        var observer = GrainInterfaceRegistry.Get(typeof(ITestObserver));

        Assert.Equal("test", baseDescriptor.GrainType);
        Assert.Equal("custom-derived", derived.GrainType);
        Assert.Equal(GrainId.ObserverType, observer.GrainType);
        Assert.False(baseDescriptor.IsObserver);
        Assert.True(observer.IsObserver);
        Assert.Equal(Fnv1a("Switchboard.Runtime.Tests.CodeGeneration.ITestGrain"), baseDescriptor.InterfaceId);
        Assert.Equal(Fnv1a("Switchboard.Runtime.Tests.CodeGeneration.ITestDerivedGrain"), derived.InterfaceId);
        Assert.True(GrainInterfaceRegistry.TryGet(derived.InterfaceId, out var byId));
        Assert.Same(derived, byId);
        Assert.True(GrainInterfaceRegistry.TryGetByGrainType("custom-derived", out var byType));
        Assert.Same(derived, byType);
    }

    [Fact]
    public void Invoker_MethodIds_InheritedFirstThenDeclarationOrder()
    {
        var invoker = GrainInterfaceRegistry.Get(typeof(ITestDerivedGrain)).Invoker;
        string[] expected = ["Echo", "Record", "Sum", "Touch", "Notify", "Describe", "Subscribe", "Ping", "Count"];

        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(i => invoker.GetMethodName((ushort)i)));
        Assert.Throws<CodecException>(() => invoker.GetMethodName((ushort)expected.Length));
    }

    [Fact]
    public void Invoker_Flags_FollowAttributes()
    {
        var invoker = GrainInterfaceRegistry.Get(typeof(ITestDerivedGrain)).Invoker;

        Assert.Equal(InvocationFlags.None, invoker.GetFlags(0));
        Assert.Equal(InvocationFlags.OneWay, invoker.GetFlags(4));
        Assert.Equal(InvocationFlags.AlwaysInterleave, invoker.GetFlags(5));
        Assert.Equal(InvocationFlags.ReadOnly, invoker.GetFlags(6));
        Assert.Equal(InvocationFlags.OneWay, invoker.GetFlags(7));
    }

    [Fact]
    public void Proxy_Identity_CarriesInterfaceAndGrainId()
    {
        var reference = Assert.IsAssignableFrom<GrainReference>(_reference);

        Assert.Equal(typeof(ITestDerivedGrain), reference.InterfaceType);
        Assert.Equal(GrainInterfaceRegistry.Get(typeof(ITestDerivedGrain)).InterfaceId, reference.InterfaceId);
        Assert.Equal(new GrainId("custom-derived", "g1"), reference.GrainId);
    }

    [Fact]
    public async Task Echo_Record_ArrivesEqualButDistinctAndResultReturns()
    {
        var payload = new TestPayload("név ✓", 3, [1, 2, 3], ["a", "b"], TestColor.Green);

        var answer = await _reference.Echo(payload);

        var received = Assert.IsType<TestPayload>(_grain.LastPayload);
        Assert.NotSame(payload, received);
        Assert.Equal(payload.Name, received.Name);
        Assert.Equal(payload.Count, received.Count);
        Assert.Equal(payload.Data, received.Data);
        Assert.NotSame(payload.Data, received.Data);
        Assert.Equal(payload.Tags, received.Tags);
        Assert.Equal(TestColor.Green, received.Color);
        Assert.Equal("név ✓!", answer.Name);
        Assert.NotSame(received, answer);
        Assert.Equal((typeof(ITestDerivedGrain), (ushort)0, InvocationFlags.None), _runtime.Calls.Single());
    }

    [Fact]
    public async Task Echo_NullMembers_RoundTrip()
    {
        var answer = await _reference.Echo(new TestPayload("", null, null, [], TestColor.Red));

        Assert.Null(answer.Count);
        Assert.Null(answer.Data);
        Assert.Empty(answer.Tags);
        Assert.Equal("!", answer.Name);
    }

    [Fact]
    public async Task Record_InitPropertiesClass_ArrivesEqualButDistinct()
    {
        var settings = new TestSettings
        {
            Label = null,
            Timeout = TimeSpan.FromSeconds(42),
            Extra = new Dictionary<string, string> { ["k"] = "v" },
            NotSerialized = "changed",
        };

        await _reference.Record(settings);

        var received = Assert.IsType<TestSettings>(_grain.LastSettings);
        Assert.NotSame(settings, received);
        Assert.Null(received.Label);
        Assert.Equal(settings.Timeout, received.Timeout);
        Assert.Equal(settings.Extra, received.Extra);
        Assert.Equal("default", received.NotSerialized);
    }

    [Fact]
    public async Task Sum_ListArgumentAndValueTaskResult_Computed()
    {
        List<int> values = [1, 2, 3, int.MaxValue - 6];

        var sum = await _reference.Sum(values);

        Assert.Equal(int.MaxValue, sum);
        Assert.NotSame(values, _grain.LastValues);
        Assert.Equal(values, _grain.LastValues);
    }

    [Fact]
    public async Task Touch_ValueTaskVoid_Invoked()
    {
        await _reference.Touch();

        Assert.Equal(["touch"], _grain.Log);
        Assert.Equal((ushort)3, _runtime.Calls.Single().MethodId);
    }

    [Fact]
    public async Task Notify_OneWay_GoesThroughOneWayPath()
    {
        await _reference.Notify("hello");
        await _reference.Ping(7);
        await Task.WhenAll(_runtime.OneWayTasks);

        Assert.Equal(2, _runtime.OneWayTasks.Count);
        Assert.Equal(["notify:hello", "ping:7"], _grain.Log);
        Assert.All(_runtime.Calls, c => Assert.Equal(InvocationFlags.OneWay, c.Flags));
    }

    [Fact]
    public async Task Describe_AlwaysInterleave_FlagSentAndResultReturned()
    {
        var text = await _reference.Describe();

        Assert.Equal("test grain with 0 log entries", text);
        Assert.Equal(InvocationFlags.AlwaysInterleave, _runtime.Calls.Single().Flags);
    }

    [Fact]
    public async Task Subscribe_ObserverReference_RebuiltAndCallable()
    {
        var observerId = new GrainId(GrainId.ObserverType, "obs-1");
        var observer = new TestObserver();
        _runtime.Host(observerId, observer);
        var observerReference = (ITestObserver)_runtime.GetReference(typeof(ITestObserver), observerId);

        var answer = await _reference.Subscribe(observerReference, "n");
        var withoutNote = await _reference.Subscribe(observerReference, null);

        Assert.Equal("observed:subscribed/n", answer);
        Assert.Equal("observed:subscribed", withoutNote);
        Assert.Equal(["subscribed", "subscribed"], observer.Events);
        Assert.Contains(_runtime.Calls, c => c.Interface == typeof(ITestObserver) && c.MethodId == 0);
    }

    [Fact]
    public async Task Count_EnumerableArgumentAndDictionaryResult_RoundTrip()
    {
        var counts = await _reference.Count(["a", "b", "a"]);

        Assert.Equal(2, counts["a"]);
        Assert.Equal(1, counts["b"]);
        Assert.Equal(2, counts.Count);
    }

    [Fact]
    public void StructCodec_ConstructorAndField_RoundTrip()
    {
        var point = new TestPoint(-3, 4) { Tag = "t" };
        using var writer = new CodecWriter();
        writer.Write(point);

        var read = new CodecReader(writer.ToArray()).Read<TestPoint>();

        Assert.Equal(point, read);
    }

    [Fact]
    public void ClassCodec_CountMismatch_ThrowsSchemaMismatch()
    {
        // Presence 1, then a field count of 2 where TestSettings has 3.
        var ex = Assert.Throws<CodecException>(() => new CodecReader(new byte[] { 1, 2 }).Read<TestSettings>());

        Assert.Contains("schema mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected 3 fields, got 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassCodec_BadPresenceByte_ThrowsCodecException()
        => Assert.Throws<CodecException>(() => new CodecReader(new byte[] { 2, 3 }).Read<TestPayload>());

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
