using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>
/// Membership agents of several fake silos on one fake clock, one in-memory table (behind a
/// <see cref="FlakyMembershipTable"/>) and one scripted network. Time only moves through <see cref="AdvanceAsync"/>,
/// which steps the clock and waits after every step until all agents are quiescent, so each assertion sees the
/// state at an exact fake time.
/// </summary>
internal sealed class MembershipTestCluster : IAsyncDisposable
{
    /// <summary>Clock step of <see cref="AdvanceAsync"/>: a tenth of the default periods.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly ILoggerFactory _loggerFactory;
    private readonly List<MembershipAgent> _agents = [];
    private readonly List<MembershipTableReader> _readers = [];

    public MembershipTestCluster(ITestOutputHelper output, ClusterMembershipOptions? options = null)
    {
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new XunitLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
        Options = options ?? new ClusterMembershipOptions();
        Store = new FlakyMembershipTable(Table);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryMembershipTable Table { get; } = new();

    public FlakyMembershipTable Store { get; }

    public FakeSiloNetwork Network { get; } = new();

    public ClusterMembershipOptions Options { get; }

    public static SiloAddress Address(int index, int generation = 1) => new("10.0.0.1", 11000 + index, generation);

    /// <summary>An agent on the shared store, or on <paramref name="table"/> if given.</summary>
    public MembershipAgent CreateAgent(SiloAddress address, IMembershipTable? table = null)
    {
        var agent = new MembershipAgent(
            SiloIdentity.ForSilo($"silo{address.Port}", address),
            table ?? Store,
            Network.ProberFor(address),
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            _loggerFactory.CreateLogger<MembershipAgent>());
        _agents.Add(agent);
        return agent;
    }

    public MembershipTableReader CreateReader()
    {
        var reader = new MembershipTableReader(Store, Microsoft.Extensions.Options.Options.Create(Options), Time, _loggerFactory.CreateLogger<MembershipTableReader>());
        _readers.Add(reader);
        return reader;
    }

    /// <summary>Creates and joins agents for silos 1..<paramref name="count"/> (all answering probes), then lets one
    /// refresh period pass so every agent knows every other.</summary>
    public async Task<MembershipAgent[]> StartAsync(int count)
    {
        var agents = new MembershipAgent[count];
        for (var i = 0; i < count; i++)
        {
            agents[i] = CreateAgent(Address(i + 1));
            await TestWait.CompletesAsync(agents[i].JoinAsync(CancellationToken.None), $"join of silo {i + 1}");
        }

        // Silos that joined early learn about later ones at their next table refresh.
        await AdvanceAsync(Options.TableRefreshPeriod);
        return agents;
    }

    /// <summary>Moves the clock by <paramref name="duration"/> in steps of <see cref="Step"/>, waiting for quiescence after each.</summary>
    public async Task AdvanceAsync(TimeSpan duration)
    {
        for (var moved = TimeSpan.Zero; moved < duration; moved += Step)
        {
            Time.Advance(Step < duration - moved ? Step : duration - moved);
            await WaitIdleAsync();
        }
    }

    /// <summary>Steps the clock until <paramref name="task"/> completes, at most <paramref name="limit"/> of fake time.</summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Task task, TimeSpan limit, string what)
    {
        var moved = TimeSpan.Zero;
        await WaitIdleAsync();
        while (!task.IsCompleted)
        {
            if (moved >= limit)
            {
                throw new TimeoutException($"{what} did not complete within {limit} of fake time.");
            }

            Time.Advance(Step);
            moved += Step;
            await WaitIdleAsync();
        }

        await task;
        return moved;
    }

    /// <summary>Steps the clock until <paramref name="condition"/> holds; returns the fake time it took.</summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var moved = TimeSpan.Zero;
        await WaitIdleAsync();
        while (!condition())
        {
            if (moved >= limit)
            {
                throw new TimeoutException($"Expected {what} within {limit} of fake time.");
            }

            Time.Advance(Step);
            moved += Step;
            await WaitIdleAsync();
        }

        return moved;
    }

    public Task WaitIdleAsync()
        => TestWait.UntilAsync(
            () => _agents.All(a => a.PendingOperations == 0) && _readers.All(r => r.PendingOperations == 0),
            "membership work is quiescent",
            () => string.Join(", ", _agents.Select(a => $"{a.Address}: {a.PendingOperations}").Concat(_readers.Select(r => $"reader: {r.PendingOperations}"))));

    /// <summary>The row of <paramref name="silo"/> in the table itself (not through the flaky wrapper).</summary>
    public async Task<MembershipEntry> RowAsync(SiloAddress silo)
        => (await Table.ReadAllAsync(CancellationToken.None)).Find(silo) ?? throw new InvalidOperationException($"No row for {silo}.");

    /// <summary>Status of <paramref name="silo"/> in the table itself (the in-memory table answers synchronously).</summary>
    public SiloStatus StatusOf(SiloAddress silo)
        => Table.ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult().Find(silo)?.Status ?? SiloStatus.None;

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var reader in _readers)
        {
            await reader.DisposeAsync();
        }

        _loggerFactory.Dispose();
    }
}
