using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.GrainDirectory;

/// <summary>The <see cref="IGrainDirectory"/> contract, run against every provider.</summary>
public abstract class GrainDirectoryContractTests : IAsyncLifetime
{
    private IGrainDirectory? _directory;

    protected static readonly GrainId Grain = new("connection", "MZ0001");
    protected static readonly SiloAddress SiloA = new("10.0.0.1", 11111, 100);
    protected static readonly SiloAddress SiloB = new("10.0.0.2", 11111, 100);

    protected IGrainDirectory Directory => _directory ?? throw new InvalidOperationException("Directory not created.");

    protected abstract Task<IGrainDirectory> CreateDirectoryAsync();

    public async Task InitializeAsync() => _directory = await CreateDirectoryAsync();

    public virtual async Task DisposeAsync()
    {
        if (_directory is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // ---- failure cases and races ----

    [Fact]
    public async Task Register_FiftyConcurrentTasks_ExactlyOneWinnerThatEveryoneSees()
    {
        // Warm the provider (a database pool opens its connections one by one), so the registrations really overlap.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => Directory.LookupAsync(new GrainId("connection", $"warm-{i}"), default))));

        // Several rounds: the race between an insert and a concurrent loser's read is timing-dependent.
        for (var round = 0; round < 5; round++)
        {
            var grain = new GrainId("connection", $"race-{round}");
            var candidates = Enumerable.Range(0, 50)
                .Select(i => new GrainAddress(grain, i % 2 == 0 ? SiloA : SiloB, $"act-{i}"))
                .ToArray();
            using var start = new ManualResetEventSlim();

            var registrations = candidates.Select(c => Task.Run(async () =>
            {
                start.Wait(TimeSpan.FromSeconds(15));
                return await Directory.RegisterAsync(c, null, default);
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(registrations);

            var winner = results[0];
            Assert.All(results, r => Assert.Equal(winner, r));
            Assert.Contains(winner, candidates);
            Assert.Equal(winner, await Directory.LookupAsync(grain, default));
        }
    }

    [Fact]
    public async Task Register_FiftyConcurrentTakeoversFromSamePrevious_ExactlyOneReplaces()
    {
        var dead = new GrainAddress(Grain, SiloA, "old");
        await Directory.RegisterAsync(dead, null, default);
        var candidates = Enumerable.Range(0, 50).Select(i => new GrainAddress(Grain, SiloB, $"new-{i}")).ToArray();

        var results = await Task.WhenAll(candidates.Select(c => Task.Run(() => Directory.RegisterAsync(c, dead, default))));

        var winner = results[0];
        Assert.All(results, r => Assert.Equal(winner, r));
        Assert.Contains(winner, candidates);
        Assert.Equal(winner, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Register_WithWrongPrevious_LeavesEntryUnchangedAndReturnsIt()
    {
        var current = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(current, null, default);

        var wrongActivation = await Directory.RegisterAsync(new GrainAddress(Grain, SiloB, "b1"), current with { ActivationId = "other" }, default);
        var wrongGeneration = await Directory.RegisterAsync(new GrainAddress(Grain, SiloB, "b1"), current with { Silo = SiloA with { Generation = 101 } }, default);
        var wrongSilo = await Directory.RegisterAsync(new GrainAddress(Grain, SiloB, "b1"), current with { Silo = SiloB }, default);

        Assert.Equal(current, wrongActivation);
        Assert.Equal(current, wrongGeneration);
        Assert.Equal(current, wrongSilo);
        Assert.Equal(current, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Register_WithoutPreviousWhenTaken_ReturnsExistingEntry()
    {
        var current = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(current, null, default);

        var result = await Directory.RegisterAsync(new GrainAddress(Grain, SiloB, "b1"), null, default);

        Assert.Equal(current, result);
    }

    [Fact]
    public async Task Register_PreviousOfAnotherGrain_ThrowsArgumentException()
        => await Assert.ThrowsAsync<ArgumentException>(() => Directory.RegisterAsync(
            new GrainAddress(Grain, SiloA, "a1"), new GrainAddress(new GrainId("connection", "other"), SiloB, "b1"), default));

    [Fact]
    public async Task Unregister_Mismatch_LeavesEntryUnchanged()
    {
        var current = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(current, null, default);

        await Directory.UnregisterAsync(current with { ActivationId = "a2" }, default);
        await Directory.UnregisterAsync(current with { Silo = SiloA with { Generation = 99 } }, default);
        await Directory.UnregisterAsync(current with { Silo = SiloB }, default);
        await Directory.UnregisterAsync(current with { GrainId = new GrainId("connection", "other") }, default);

        Assert.Equal(current, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Register_SiloTextLongerThanColumn_ThrowsArgumentException()
        => await Assert.ThrowsAsync<ArgumentException>(() => Directory.RegisterAsync(
            new GrainAddress(Grain, new SiloAddress(new string('h', 100), 1, 1), "a1"), null, default));

    // ---- normal operation ----

    [Fact]
    public async Task Lookup_Missing_ReturnsNull()
        => Assert.Null(await Directory.LookupAsync(new GrainId("connection", "nobody"), default));

    [Fact]
    public async Task Register_Empty_WinsAndIsFound()
    {
        var address = new GrainAddress(Grain, SiloA, "a1");

        Assert.Equal(address, await Directory.RegisterAsync(address, null, default));
        Assert.Equal(address, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Register_SameAddressAgain_IsIdempotent()
    {
        var address = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(address, null, default);

        Assert.Equal(address, await Directory.RegisterAsync(address, null, default));
        Assert.Equal(address, await Directory.RegisterAsync(address, address, default));
    }

    [Fact]
    public async Task Register_WithExactPrevious_Replaces()
    {
        var dead = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(dead, null, default);
        var takeover = new GrainAddress(Grain, SiloB, "b1");

        Assert.Equal(takeover, await Directory.RegisterAsync(takeover, dead, default));
        Assert.Equal(takeover, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Register_WithPreviousWhenEntryIsGone_Inserts()
    {
        var address = new GrainAddress(Grain, SiloB, "b1");

        Assert.Equal(address, await Directory.RegisterAsync(address, new GrainAddress(Grain, SiloA, "a1"), default));
        Assert.Equal(address, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task Unregister_Exact_RemovesEntryAndAllowsNewRegistration()
    {
        var address = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(address, null, default);

        await Directory.UnregisterAsync(address, default);

        Assert.Null(await Directory.LookupAsync(Grain, default));
        var next = new GrainAddress(Grain, SiloB, "b1");
        Assert.Equal(next, await Directory.RegisterAsync(next, null, default));
    }

    [Fact]
    public async Task UnregisterSilo_RemovesOnlyThatSiloGenerationAndCountsThem()
    {
        var restarted = SiloA with { Generation = 200 };
        for (var i = 0; i < 5; i++)
        {
            await Directory.RegisterAsync(new GrainAddress(new GrainId("connection", $"a{i}"), SiloA, $"act-{i}"), null, default);
        }

        var onB = new GrainAddress(new GrainId("connection", "b"), SiloB, "act-b");
        var onRestarted = new GrainAddress(new GrainId("connection", "r"), restarted, "act-r");
        await Directory.RegisterAsync(onB, null, default);
        await Directory.RegisterAsync(onRestarted, null, default);

        Assert.Equal(5, await Directory.UnregisterSiloAsync(SiloA, default));

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await Directory.LookupAsync(new GrainId("connection", $"a{i}"), default));
        }

        Assert.Equal(onB, await Directory.LookupAsync(onB.GrainId, default));
        Assert.Equal(onRestarted, await Directory.LookupAsync(onRestarted.GrainId, default));
        Assert.Equal(0, await Directory.UnregisterSiloAsync(SiloA, default));
    }
}
