using System.Net;
using System.Net.WebSockets;

namespace Switchboard.TestInfrastructure.BadInput;

/// <summary>One row of the README's "Limits and security" table: the input, the answer it promises, and a check that
/// sends the input to a running process and returns null when the answer came, or what came instead.</summary>
/// <param name="Slow">True for the rows that take several seconds (a flood, a stall, a heartbeat): the call beside
/// them streams longer.</param>
public sealed record BadInputRow(string Input, string Answer, bool NeedsSignatures, Func<BadInputTarget, Task<string?>> Check, bool Slow = false)
{
    public override string ToString() => Input;
}

/// <summary>
/// The README's table of bad Twilio-socket input, row by row, as checks against a real process (embedded mode, or a
/// cluster gateway). Every check judges only what a client can see (HTTP status, close code and reason, what was echoed),
/// so the same rows run against any gateway. Not here: the stream-ticket row (it needs <c>Gateway:RequireStreamTicket</c>
/// on, which refuses every call without a ticket, the call beside the attacks included; it is covered in-process by
/// <c>StreamTicketTests</c>).
/// </summary>
public static class BadInputTable
{
    /// <summary>Every row, in the README's order.</summary>
    public static IReadOnlyList<BadInputRow> Rows { get; } =
    [
        new("upgrade without X-Twilio-Signature", "403 before the upgrade", NeedsSignatures: true, async t =>
        {
            var (socket, refused) = await AttackSocket.TryConnectAsync(t, signed: false);
            socket?.Dispose();
            return refused == HttpStatusCode.Forbidden ? null : $"upgrade answered {(socket is null ? refused?.ToString() : "101 (accepted)")}";
        }),
        new("plain HTTP GET on the WebSocket path", "400", NeedsSignatures: false, async t =>
        {
            using var http = new HttpClient { Timeout = AttackSocket.CloseTimeout };
            using var response = await http.GetAsync(new UriBuilder(t.WebSocketUri) { Scheme = "http" }.Uri);
            return response.StatusCode == HttpStatusCode.BadRequest ? null : $"answered {(int)response.StatusCode}";
        }),
        new("Origin header not in the allow-list", "403 before the upgrade", NeedsSignatures: false, async t =>
        {
            var (socket, refused) = await AttackSocket.TryConnectAsync(t, origin: "https://attacker.example");
            socket?.Dispose();
            return refused == HttpStatusCode.Forbidden ? null : $"upgrade answered {(socket is null ? refused?.ToString() : "101 (accepted)")}";
        }),
        new("binary WebSocket frame", "close 1003", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.InvalidMessageType, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            await s.SendBinaryAsync([0xFF, 0xFE, 0xFD]);
        })),
        new("text message over Gateway:MaxMessageBytes", "close 1009", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.MessageTooBig, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            await s.SendAsync(new string(' ', (64 * 1024) + 1));
        })),
        new("malformed JSON up to Gateway:MaxMalformedMessages", "not forwarded; the message at the limit closes 1007", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.InvalidPayloadData, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            for (var i = 0; i < t.Settings.MaxMalformedMessages; i++)
            {
                await s.SendAsync("{\"event\":\"media\"");
            }
        })),
        new("media before start", "buffered and replayed after start: echoed", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.NormalClosure, async (s, sid, call) =>
        {
            for (var sequence = 2; sequence <= 4; sequence++)
            {
                await s.SendAsync(AttackSocket.Media(sid, sequence));
            }

            await s.SendAsync(AttackSocket.Start(sid, call));
            await s.SendAsync(AttackSocket.Stop(sid, call, 5));
        }, expectEcho: true)),
        new("a second start on one socket", "not forwarded; the first stream carries on", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.NormalClosure, async (s, sid, call) =>
        {
            var (otherSid, otherCall) = AttackSocket.NewIds();
            await s.SendAsync(AttackSocket.Start(sid, call));
            await s.SendAsync(AttackSocket.Start(otherSid, otherCall, 2));
            for (var sequence = 3; sequence <= 5; sequence++)
            {
                await s.SendAsync(AttackSocket.Media(sid, sequence));
            }

            await s.SendAsync(AttackSocket.Stop(sid, call, 6));
        }, expectEcho: true)),
        new("start for the live call's streamSid", "close 1008 before any audio; the live call untouched", NeedsSignatures: false, async t =>
        {
            using var s = await AttackSocket.ConnectAsync(t);
            await s.SendAsync(AttackSocket.Start(t.LiveStreamSid, "CA" + new string('7', 32)));
            await s.SendAsync(AttackSocket.Media(t.LiveStreamSid, 2));
            return Expect(s, await s.ReceiveUntilCloseAsync(), WebSocketCloseStatus.PolicyViolation, expectEcho: false, "stream is live on another socket");
        }),
        new("start for the live call's callSid on another streamSid", "close 1008 before any audio; the live call untouched", NeedsSignatures: false, async t =>
        {
            using var s = await AttackSocket.ConnectAsync(t);
            var (sid, _) = AttackSocket.NewIds();
            await s.SendAsync(AttackSocket.Start(sid, t.LiveCallSid));
            await s.SendAsync(AttackSocket.Media(sid, 2));
            return Expect(s, await s.ReceiveUntilCloseAsync(), WebSocketCloseStatus.PolicyViolation, expectEcho: false, "is streaming on another stream");
        }),
        new("media not canonical base64, empty or oversized", "dropped, never forwarded, never a close", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.NormalClosure, async (s, sid, call) =>
        {
            var canonical = Convert.ToBase64String([.. Enumerable.Range(0, 160).Select(i => (byte)(i % 2 == 0 ? 0xFB : 0xFF))]);
            string[] payloads = [canonical.Insert(100, " "), canonical.Insert(76, "\\n"), canonical.Replace('+', '-').Replace('/', '_'), canonical.TrimEnd('='), "", Convert.ToBase64String(new byte[1601])];
            await s.SendAsync(AttackSocket.Start(sid, call));
            for (var i = 0; i < payloads.Length; i++)
            {
                await s.SendAsync(AttackSocket.Media(sid, 2 + i, payloads[i]));
            }

            await s.SendAsync(AttackSocket.Stop(sid, call, 2 + payloads.Length));
        }, expectEcho: false)),
        new("sequence gaps, duplicates, reordering, numbers below 1", "counted; every message processed; never a close", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.NormalClosure, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            foreach (var sequence in new long[] { 2, 5, 4, 4, 0 })
            {
                await s.SendAsync(AttackSocket.Media(sid, sequence));
            }

            await s.SendAsync(AttackSocket.Stop(sid, call, 6));
        }, expectEcho: true)),
        new("a flood over the rate limit, sustained", "excess dropped; close 1008 once the episode lasts ConnectionGrain:SustainedRateLimit", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.PolicyViolation, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            // As fast as the socket takes them, bounded: 600 a second for at most three sustained limits.
            var until = DateTime.UtcNow + (3 * t.Settings.SustainedRateLimit);
            for (long sequence = 2; DateTime.UtcNow < until && s.Socket.State == WebSocketState.Open; sequence++)
            {
                try
                {
                    await s.SendAsync(AttackSocket.Media(sid, sequence));
                }
                catch (WebSocketException)
                {
                    break;
                }

                if (sequence % 6 == 0)
                {
                    await Task.Delay(10);
                }
            }
        }), Slow: true),
        new("a client that stops reading and goes on sending", "close 1008 \"client stopped reading\"", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.PolicyViolation, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            // Twilio's pace and never a read, for twice the stall timeout and a second: past the detection (a probe's
            // audio, the timeout, one check period), and well before the unanswered close is aborted (the server's close
            // handshake timeout), which would reset the connection under what the kernel still holds for us.
            var until = DateTime.UtcNow + (2 * t.Settings.SendStallTimeout) + TimeSpan.FromSeconds(1);
            for (long sequence = 2; DateTime.UtcNow < until; sequence++)
            {
                await s.SendAsync(AttackSocket.Media(sid, sequence));
                await Task.Delay(20);
            }
        }, reason: "client stopped reading"), Slow: true),
        new("a client that vanishes without closing", "close 1000 after ConnectionGrain:HeartbeatTimeout", NeedsSignatures: false, t => StreamAsync(t, WebSocketCloseStatus.NormalClosure, async (s, sid, call) =>
        {
            await s.SendAsync(AttackSocket.Start(sid, call));
            await s.SendAsync(AttackSocket.Media(sid, 2));
            // Then silence: no stop, no close, nothing (the read below answers nothing but the server's close).
        }), Slow: true),
    ];

    // A stream of the attacker's own: send, then read until the server closes, and judge the close (and the echo).
    private static async Task<string?> StreamAsync(BadInputTarget target, WebSocketCloseStatus expected, Func<AttackSocket, string, string, Task> send, bool? expectEcho = null, string? reason = null)
    {
        using var socket = await AttackSocket.ConnectAsync(target);
        var (sid, call) = AttackSocket.NewIds();
        try
        {
            await send(socket, sid, call);
        }
        catch (WebSocketException)
        {
            // The server closed while we were still sending: the close is read below.
        }

        return Expect(socket, await socket.ReceiveUntilCloseAsync(), expected, expectEcho, reason);
    }

    private static string? Expect(AttackSocket socket, WebSocketCloseStatus? status, WebSocketCloseStatus expected, bool? expectEcho, string? reason)
    {
        if (status != expected)
        {
            return $"closed with {status?.ToString() ?? "nothing within " + AttackSocket.CloseTimeout} ({socket.Socket.CloseStatusDescription}), expected {expected}";
        }

        if (reason is not null && socket.Socket.CloseStatusDescription?.Contains(reason, StringComparison.Ordinal) != true)
        {
            return $"close reason '{socket.Socket.CloseStatusDescription}', expected '{reason}'";
        }

        return expectEcho switch
        {
            true when socket.MediaReceived == 0 => "no audio echoed, expected the stream's audio back",
            false when socket.MessagesReceived > 0 => $"{socket.MessagesReceived} messages reached the socket, expected none",
            _ => null,
        };
    }
}
