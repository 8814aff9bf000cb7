using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.TestInfrastructure;

/// <summary>A slow-loris client: sends a request a byte at a time, for the tests of the server's header timeout.</summary>
public static class HeaderTrickler
{
    /// <summary>Sends <paramref name="request"/> one byte every 100 ms to 127.0.0.1:<paramref name="port"/> until the
    /// server closes (bounded at 30 s); returns how long that took and what the server answered.</summary>
    public static async Task<(TimeSpan Elapsed, string Response)> TrickleAsync(int port, string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = ReadUntilClosedAsync(socket, stop.Token);
        foreach (var b in Encoding.ASCII.GetBytes(request))
        {
            if (reading.IsCompleted)
            {
                break;
            }

            try
            {
                await socket.SendAsync(new[] { b }, SocketFlags.None, stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                break;
            }

            await Task.Delay(100, stop.Token).ConfigureAwait(false);
        }

        var response = await reading.ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(started), response);
    }

    private static async Task<string> ReadUntilClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // A reset after the answer is still a drop.
        }

        return text.ToString();
    }
}
