using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Placement;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Routing;

/// <summary>The router of a gateway client, against fake connections, membership and directory, on fake time.</summary>
public sealed class ClusterMessageRouterTests : IDisposable
{
    private static readonly SiloAddress S1 = new("127.0.0.1", 11111, 1);
    private static readonly SiloAddress S2 = new("127.0.0.1", 11112, 1);
    private static readonly SiloAddress S3 = new("127.0.0.1", 11113, 1);
    private static readonly GrainId Call = new("connection", "MZ1");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private readonly FakeClusterConnections _connections = new();
    private readonly FakeMembershipService _membership = new();
    private readonly FakeGrainDirectory _directory = new();
    private readonly ServiceProvider _services;
    private readonly ClusterMessageRouter _router;
    private readonly MessageCenter _messageCenter;

    public ClusterMessageRouterTests(ITestOutputHelper output)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new XunitLoggerProvider(output)));
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(SiloIdentity.ForClient("gw", 7));
        services.AddSingleton<RuntimeInstruments>();
        services.AddSingleton<IClusterConnections>(_connections);
        services.AddSingleton<IClusterMembershipService>(_membership);
        services.AddSingleton<IGrainDirectory>(_directory);
        services.AddSingleton<PlacementDirector>();
        services.AddSingleton<ClusterMessageRouter>();
        services.AddSingleton<IMessageTransport>(sp => sp.GetRequiredService<ClusterMessageRouter>());
        services.AddSingleton<MessageCenter>();
        services.AddSingleton<IMessageReceiver>(sp => new ClientReceiver(sp));
        services.Configure<RoutingOptions>(o => o.FailoverBufferCapacity = 20);
        services.AddOptions<MessagingOptions>();
        _services = services.BuildServiceProvider();
        _router = _services.GetRequiredService<ClusterMessageRouter>();
        _messageCenter = _services.GetRequiredService<MessageCenter>();
    }

    [Fact]
    public async Task Route_SiloConnectionLostButNotDeclaredDead_HoldsAndNeverTakesOver()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.Active));
        var entry = await Register(S1);
        SendMedia(0);
        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "media 0 reached S1");

        _connections.Disconnect(S1.ToString());
        for (var i = 1; i <= 5; i++)
        {
            SendMedia(i);
        }

        // Retries on fake time: S1 never answers a probe, but membership has not declared it dead.
        await AdvanceUntilAsync(() => _connections.Probes >= 3, "the router probed S1 while waiting");
        Assert.Empty(_connections.SentTo(S2.ToString()));
        Assert.Equal(entry, _directory.Get(Call));
    }

    [Fact]
    public async Task Route_FailoverBufferFull_DropsOverflowAndRejectsRequests()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.Active));
        await Register(S1);
        _connections.Disconnect(S1.ToString());
        for (var i = 0; i < 25; i++)
        {
            SendMedia(i);
        }

        var request = _messageCenter.SendRequestAsync(Call, 1, 2, default, new byte[] { 99 });

        var response = await TestWait.CompletesAsync(request, "rejected request");
        Assert.Equal(ResponseStatus.Rejected, response.Status);
        var ex = Assert.IsType<SiloUnavailableException>(Runtime.Serialization.ExceptionCodec.Read(new Runtime.Serialization.CodecReader(response.Body)));
        Assert.Contains("failover buffer", ex.Message, StringComparison.Ordinal);

        _membership.Set((S1, SiloStatus.Dead), (S2, SiloStatus.Active));
        await TestWait.UntilAsync(() => _connections.SentTo(S2.ToString()).Count == 20, "the 20 held messages reached S2",
            () => $"{_connections.SentTo(S2.ToString()).Count} on S2");
        Assert.Equal(Enumerable.Range(0, 20), _connections.SentTo(S2.ToString()).Select(m => (int)m.Body.Span[0]));
    }

    [Fact]
    public async Task Route_PendingRequestWhenConnectionBreaks_FailsAtOnceWithSiloUnavailable()
    {
        _membership.Set((S1, SiloStatus.Active));
        await Register(S1);
        var request = _messageCenter.SendRequestAsync(Call, 1, 2, default, new byte[] { 1 });
        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "request reached S1");

        _connections.Disconnect(S1.ToString());

        // No fake time passes: the failure cannot be the 30 s response timeout.
        await Assert.ThrowsAsync<SiloUnavailableException>(() => TestWait.CompletesAsync(request, "broken request"));
    }

    [Fact]
    public async Task Route_SiloDeclaredDead_DeliversHeldMessagesInOrderToNewSilo()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.Active));
        var stale = await Register(S1);
        SendMedia(0);
        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "media 0 reached S1");
        _connections.Disconnect(S1.ToString());
        for (var i = 1; i <= 8; i++)
        {
            SendMedia(i);
        }

        _membership.Set((S1, SiloStatus.Dead), (S2, SiloStatus.Active));
        for (var i = 9; i <= 12; i++)
        {
            SendMedia(i);
        }

        await TestWait.UntilAsync(() => _connections.SentTo(S2.ToString()).Count == 12, "media 1-12 reached S2",
            () => $"{_connections.SentTo(S2.ToString()).Count} on S2");
        Assert.Equal(Enumerable.Range(1, 12), _connections.SentTo(S2.ToString()).Select(m => (int)m.Body.Span[0]));
        Assert.NotEqual(stale, _directory.Get(Call));
        Assert.Contains(S1, _connections.MarkedDead);
    }

    [Fact]
    public async Task Route_SiloLeaving_HoldsUntilItsEntryIsGoneThenPlacesElsewhereInOrder()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.Active));
        var entry = await Register(S1);
        SendMedia(0);
        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "media 0 reached S1");

        _membership.Set((S1, SiloStatus.ShuttingDown), (S2, SiloStatus.Active));
        _connections.Leave(S1.ToString());
        for (var i = 1; i <= 6; i++)
        {
            SendMedia(i);
        }

        // S1 still hosts the grain (its entry is there): nothing may go to S2 yet, whatever the retries.
        for (var step = 0; step < 5; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        Assert.Empty(_connections.SentTo(S2.ToString()));

        // The hand-off: S1's activation leaves the directory.
        await _directory.UnregisterAsync(entry, CancellationToken.None);

        await AdvanceUntilAsync(() => _connections.SentTo(S2.ToString()).Count == 6, "media 1-6 reached S2",
            () => $"{_connections.SentTo(S2.ToString()).Count} on S2");
        Assert.Equal(Enumerable.Range(1, 6), _connections.SentTo(S2.ToString()).Select(m => (int)m.Body.Span[0]));
        Assert.Single(_connections.SentTo(S1.ToString()));
    }

    [Fact]
    public async Task Route_TransientDisconnectSiloAnswersProbe_KeepsSilo()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.Active));
        await Register(S1);
        _connections.Disconnect(S1.ToString());
        SendMedia(1);
        _connections.Unreachable.TryRemove(S1.ToString(), out _);

        await AdvanceUntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "media 1 reached S1 after the probe");
        Assert.Empty(_connections.SentTo(S2.ToString()));
    }

    [Fact]
    public async Task Route_NoActivation_PlacesRoundRobinOverActiveSilosOnly()
    {
        _membership.Set((S1, SiloStatus.Active), (S2, SiloStatus.ShuttingDown), (S3, SiloStatus.Active));
        for (var i = 0; i < 6; i++)
        {
            _messageCenter.SendOneWay(new GrainId("connection", $"c{i}"), 1, 1, default, new byte[] { (byte)i });
        }

        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count + _connections.SentTo(S3.ToString()).Count == 6, "6 placements");
        Assert.Equal(3, _connections.SentTo(S1.ToString()).Count);
        Assert.Equal(3, _connections.SentTo(S3.ToString()).Count);
        Assert.Empty(_connections.SentTo(S2.ToString()));
    }

    [Fact]
    public async Task Route_ObserverCall_GoesToTheNodeNamedInTheObserverKey()
    {
        var observer = new GrainId(GrainId.ObserverType, "client/gw2@9/4");
        _messageCenter.SendOneWay(observer, 1, 1, default, new byte[] { 1 });

        await TestWait.UntilAsync(() => _connections.SentTo("client/gw2@9").Count == 1, "observer call reached its node");
        Assert.Equal("client/gw2@9", _connections.SentTo("client/gw2@9")[0].Destination);
    }

    [Fact]
    public async Task Route_CachedAfterFirstResolve_NoFurtherDirectoryLookups()
    {
        _membership.Set((S1, SiloStatus.Active));
        await Register(S1);
        SendMedia(0);
        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 1, "the first message resolved the route");
        for (var i = 1; i < 50; i++)
        {
            SendMedia(i);
        }

        await TestWait.UntilAsync(() => _connections.SentTo(S1.ToString()).Count == 50, "50 messages on S1");
        Assert.Equal(1, _directory.Lookups);
        Assert.Equal(Enumerable.Range(0, 50), _connections.SentTo(S1.ToString()).Select(m => (int)m.Body.Span[0]));
    }

    public void Dispose() => _services.Dispose();

    private async Task<GrainAddress> Register(SiloAddress silo)
        => await _directory.RegisterAsync(new GrainAddress(Call, silo, "a1"), null, CancellationToken.None);

    private void SendMedia(int n) => _messageCenter.SendOneWay(Call, 1, 1, default, new byte[] { (byte)n });

    /// <summary>Local delivery on a client: only responses (rejections the router produced itself) may arrive.</summary>
    private sealed class ClientReceiver(IServiceProvider services) : IMessageReceiver
    {
        public void Receive(Message message)
        {
            if (message.Kind != MessageKind.Response)
            {
                throw new InvalidOperationException($"A client must not deliver {message} locally.");
            }

            services.GetRequiredService<MessageCenter>().OnResponse(message);
        }
    }

    /// <summary>The router's resolver runs on the thread pool and waits on fake time: advance it in 100 ms steps, with a
    /// real pause between steps so the resolver reaches its next wait, until <paramref name="condition"/> holds
    /// (bounded: 600 steps, one minute of fake time).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string expectation, Func<string>? describeActual = null)
    {
        for (var step = 0; step < 600 && !condition(); step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        await TestWait.UntilAsync(condition, expectation, describeActual);
    }
}
