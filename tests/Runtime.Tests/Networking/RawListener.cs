using System.Net;
using System.Net.Sockets;
using Switchboard.TestInfrastructure;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>A bare TCP listener on 127.0.0.1 whose accepted sockets the test drives by hand (or leaves silent).</summary>
internal sealed class RawListener : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<RawPeer> _accepted = [];

    public RawListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public async Task<RawPeer> AcceptAsync()
    {
        var socket = await TestWait.CompletesAsync(_listener.AcceptAsync(), "an incoming connection on the raw listener");
        var peer = RawPeer.FromAccepted(socket);
        _accepted.Add(peer);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _accepted)
        {
            await peer.DisposeAsync();
        }

        _listener.Dispose();
    }
}
