using System.Net;
using System.Net.Sockets;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// A TCP relay on 127.0.0.1 between a client and a server. <see cref="Freeze"/> simulates a peer that vanished without
/// closing (half-open TCP: power loss, a NAT that dropped the mapping): from then on nothing is relayed either way, but
/// both connections stay open, so the server sees neither a FIN nor a reset, only silence.
/// </summary>
internal sealed class FreezableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private volatile bool _frozen;

    public FreezableTcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The target URI with the proxy's port (same scheme and path).</summary>
    public Uri Through(Uri target) => new UriBuilder(target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;

    public void Freeze() => _frozen = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            await server.ConnectAsync(_target, _stop.Token);
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0 || _frozen)
                {
                    // Frozen: stop reading and writing but keep both sockets open until disposed.
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }
}
