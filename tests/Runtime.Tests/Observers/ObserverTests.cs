using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Observers;

public sealed class ObserverTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task Observer_Deleted_RequestFromGrainFails()
    {
        var observer = new TestObserver();
        var reference = Grains.CreateObjectReference<ITestObserver>(observer);
        Grains.DeleteObjectReference<ITestObserver>(observer);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestWait.CompletesAsync(Grains.GetGrain<ITestGrain>("g").Notify(reference, 1, oneWay: false), "Notify to a deleted observer"));

        Assert.Contains("not registered", ex.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Values);
    }

    [Fact]
    public async Task Observer_Deleted_OneWayIsDroppedAndCallerUnaffected()
    {
        var observer = new TestObserver();
        var reference = Grains.CreateObjectReference<ITestObserver>(observer);
        Grains.DeleteObjectReference<ITestObserver>(observer);

        await TestWait.CompletesAsync(Grains.GetGrain<ITestGrain>("g").Notify(reference, 3, oneWay: true), "one-way Notify to a deleted observer");

        Assert.Empty(observer.Values);
    }

    [Fact]
    public async Task Observer_GrainCallsBackRequests_AllArriveInOrderOneAtATime()
    {
        var observer = new TestObserver();
        var reference = Grains.CreateObjectReference<ITestObserver>(observer);

        await TestWait.CompletesAsync(Grains.GetGrain<ITestGrain>("g").Notify(reference, 50, oneWay: false), "Notify with requests");

        Assert.Equal(Enumerable.Range(0, 50), observer.Values);
        Assert.Equal(1, observer.MaxInside);
    }

    [Fact]
    public async Task Observer_GrainCallsBackOneWay_AllArriveInOrderOneAtATime()
    {
        var observer = new TestObserver();
        var reference = Grains.CreateObjectReference<ITestObserver>(observer);

        await Grains.GetGrain<ITestGrain>("g").Notify(reference, 200, oneWay: true);

        await TestWait.UntilAsync(() => observer.Values.Count == 200, "200 one-way notifications arrived", () => $"{observer.Values.Count} arrived");
        Assert.Equal(Enumerable.Range(0, 200), observer.Values);
        Assert.Equal(1, observer.MaxInside);
    }

    [Fact]
    public void Observer_SameObjectTwice_GetsSameIdentity()
    {
        var observer = new TestObserver();

        var first = (Switchboard.Runtime.Invocation.GrainReference)(object)Grains.CreateObjectReference<ITestObserver>(observer);
        var second = (Switchboard.Runtime.Invocation.GrainReference)(object)Grains.CreateObjectReference<ITestObserver>(observer);
        var other = (Switchboard.Runtime.Invocation.GrainReference)(object)Grains.CreateObjectReference<ITestObserver>(new TestObserver());

        Assert.Equal(first.GrainId, second.GrainId);
        Assert.NotEqual(first.GrainId, other.GrainId);
        Assert.True(first.GrainId.IsObserver);
        Assert.StartsWith("test.", first.GrainId.Key, StringComparison.Ordinal);
    }
}
