using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>One <see cref="ConnectionManager"/> on 127.0.0.1 with a recording receiver, recorded logs and events,
/// on fake time by default (so no timeout can fire unless a test advances it).</summary>
internal sealed class TransportNode : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ServiceProvider _services;

    private TransportNode(SiloIdentity identity, string clusterId, NetworkingOptions options, TimeProvider time, ITestOutputHelper output)
    {
        Identity = identity;
        Time = time;
        Logs = new RecordingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Debug)
            .AddProvider(new XunitLoggerProvider(output))
            .AddProvider(Logs));
        _services = new ServiceCollection().AddMetrics().AddSingleton<IMessageReceiver>(Received).BuildServiceProvider();
        Manager = new ConnectionManager(
            identity,
            Options.Create(new ClusterOptions { ClusterId = clusterId }),
            Options.Create(options),
            _services,
            time,
            _loggerFactory.CreateLogger<ConnectionManager>());
        Manager.PeerDisconnected += Disconnects.Enqueue;
        Manager.MessageMisrouted += Misrouted.Enqueue;
    }

    public ConnectionManager Manager { get; }

    public IServiceProvider Services => _services;

    public SiloIdentity Identity { get; }

    public string Id => Identity.Id;

    public SiloAddress Address => Identity.Address ?? throw new InvalidOperationException($"{Id} is a client.");

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public RecordingReceiver Received { get; } = new();

    public RecordingLoggerProvider Logs { get; }

    public ConcurrentQueue<string> Disconnects { get; } = new();

    public ConcurrentQueue<Message> Misrouted { get; } = new();

    /// <summary>A listening silo. <paramref name="port"/> 0 picks a free port first, because the silo's id (its address)
    /// must name the port it listens on.</summary>
    public static async Task<TransportNode> StartSiloAsync(
        ITestOutputHelper output,
        string name = "silo",
        int port = 0,
        int generation = 1,
        string clusterId = "test",
        Action<NetworkingOptions>? configure = null,
        TimeProvider? time = null)
    {
        var node = CreateSilo(output, name, port == 0 ? FreePort() : port, generation, clusterId, configure, time);
        await node.Manager.StartListeningAsync(new IPEndPoint(IPAddress.Loopback, node.Address.Port), CancellationToken.None);
        return node;
    }

    /// <summary>A silo identity on <paramref name="port"/> that does not listen (e.g. to dial a dead endpoint).</summary>
    public static TransportNode CreateSilo(
        ITestOutputHelper output, string name, int port, int generation = 1, string clusterId = "test",
        Action<NetworkingOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new NetworkingOptions();
        configure?.Invoke(options);
        var identity = SiloIdentity.ForSilo(name, new SiloAddress("127.0.0.1", port, generation));
        return new TransportNode(identity, clusterId, options, time ?? new FakeTimeProvider(), output);
    }

    public static TransportNode CreateClient(ITestOutputHelper output, string name = "gateway", string clusterId = "test", TimeProvider? time = null)
        => new(SiloIdentity.ForClient(name, 7), clusterId, new NetworkingOptions(), time ?? new FakeTimeProvider(), output);

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public Task WaitForDisconnectAsync(string peerId, TimeSpan? timeout = null)
        => TestWait.UntilAsync(
            () => Disconnects.Contains(peerId),
            $"{Id} reports PeerDisconnected({peerId})",
            () => $"disconnects [{string.Join(", ", Disconnects)}]; logs {Logs.Describe()}",
            timeout);

    public Task WaitForMessagesAsync(int count, TimeSpan? timeout = null)
        => TestWait.UntilAsync(
            () => Received.Count >= count,
            $"{Id} received {count} messages",
            () => $"{Received.Count} received; counters {Manager.GetCounters()}",
            timeout);

    public Task WaitConnectedAsync(string peerId)
        => TestWait.UntilAsync(
            () => Manager.ConnectedNodes.Contains(peerId),
            $"{Id} has an established connection with {peerId}",
            () => $"connected [{string.Join(", ", Manager.ConnectedNodes)}]; logs {Logs.Describe()}");

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await _services.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
