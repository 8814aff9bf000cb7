using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Messaging;

public sealed class CallTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task Call_NoResponseWithinTimeout_ThrowsTimeoutException()
    {
        var grain = Grains.GetGrain<ITestGrain>("timeout");
        var call = grain.Block("never");
        await TestWait.UntilAsync(() => Probe.Entered("never") == 1, "Block entered the grain");

        Silo.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(call.IsCompleted, "the call must not time out before the response timeout");
        Silo.Time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestWait.CompletesAsync(call, "timed-out call"));
        Assert.Contains("may or may not have run", ex.Message, StringComparison.Ordinal);
        Probe.Open("never");
    }

    [Fact]
    public async Task Call_GrainThrowsArgumentException_TypeMessageAndParamPreserved()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Grains.GetGrain<ITestGrain>("e").Throw("argument", "bad value"));

        Assert.Equal("value", ex.ParamName);
        Assert.StartsWith("bad value", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TestGrain), ex.StackTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid", typeof(InvalidOperationException))]
    [InlineData("keynotfound", typeof(KeyNotFoundException))]
    public async Task Call_GrainThrowsBclException_SameTypeAndMessage(string kind, Type expected)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<ITestGrain>("e").Throw(kind, "boom " + kind));

        Assert.IsType(expected, ex);
        Assert.Equal("boom " + kind, ex.Message);
    }

    [Fact]
    public async Task Call_GrainThrowsUnknownType_RemoteGrainExceptionCarriesOriginal()
    {
        var ex = await Assert.ThrowsAsync<RemoteGrainException>(() => Grains.GetGrain<ITestGrain>("e").Throw("custom", "custom failure"));

        Assert.Equal(typeof(TestGrainException).FullName, ex.OriginalTypeName);
        Assert.Equal("custom failure", ex.Message);
        Assert.Contains(nameof(TestGrain), ex.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_AfterGrainException_GrainStillServes()
    {
        var grain = Grains.GetGrain<ITestGrain>("recover");
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Throw("invalid", "x"));

        Assert.Equal(1, await grain.Enter(1));
        Assert.Equal(1, Probe.ActivationCount("recover"));
    }
}
