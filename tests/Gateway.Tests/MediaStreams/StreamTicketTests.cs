using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.Grains.Applications;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// <c>Gateway:RequireStreamTicket</c>: a replayed upgrade signature opens a socket, but its <c>start</c> is refused with
/// 1008 before any grain is touched unless it carries the ticket the voice webhook issued for that call; a call with
/// its ticket streams as usual, and the ticket never reaches the grain.
/// </summary>
public sealed class StreamTicketTests
{
    [Fact]
    public async Task Start_WithoutOrWithAWrongTicket_Closed1008BeforeAnyGrain_WhileTheTicketedCallStreams()
    {
        var application = new StartRecorder();
        await using var host = await EmbeddedGatewayHost.StartAsync(
            new() { ["Gateway:RequireStreamTicket"] = "true" },
            services => services.Replace(ServiceDescriptor.Singleton<ICallApplication>(application)));
        var tickets = host.Services.GetRequiredService<StreamTickets>();
        var (sid, callSid) = RawTwilioClient.NewIds();
        using var good = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await good.SendAsync(RawTwilioClient.Start(sid, callSid, streamTicket: tickets.Issue(callSid)));
        await good.SendAsync(RawTwilioClient.Media(sid, 2));
        await TestWait.UntilAsync(async () => (await host.SnapshotAsync(sid)).MediaReceived == 1, "the ticketed call's media reached its grain");
        var activations = host.ConnectionActivations;

        var (noTicketSid, noTicketCall) = RawTwilioClient.NewIds();
        using var noTicket = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await noTicket.SendAsync(RawTwilioClient.Start(noTicketSid, noTicketCall));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await noTicket.ReceiveUntilCloseAsync());
        Assert.Equal("stream ticket missing", noTicket.Socket.CloseStatusDescription);

        // A replay aimed at the live call: another call's ticket must not replace its socket.
        using var replay = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await replay.SendAsync(RawTwilioClient.Start(sid, callSid, sequence: 3, streamTicket: tickets.Issue(noTicketCall)));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await replay.ReceiveUntilCloseAsync());
        Assert.Equal("stream ticket wrongcall", replay.Socket.CloseStatusDescription);

        Assert.Equal(activations, host.ConnectionActivations);
        Assert.Equal(2, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.StreamTicket));
        Assert.Equal(2, host.Logs.Entries.Count(e => e.EventName == "StreamTicketRejected" && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal)));

        await good.SendAsync(RawTwilioClient.Media(sid, 4));
        await good.SendAsync(RawTwilioClient.Stop(sid, callSid, 5));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await good.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal((ConnectionState.Disconnected, 2L), (snapshot.State, snapshot.MediaReceived));
        var start = Assert.Single(application.Starts);
        Assert.Equal(callSid, start.CallSid);
        Assert.DoesNotContain(StreamTickets.ParameterName, start.CustomParameters.Keys);
    }

    /// <summary>Records every start its handlers are created for; the handlers do nothing.</summary>
    private sealed class StartRecorder : ICallApplication
    {
        public ConcurrentQueue<StreamStart> Starts { get; } = new();

        public ICallHandler CreateHandler(ICallSession session)
        {
            Starts.Enqueue(session.Start);
            return new Quiet();
        }

        private sealed class Quiet : ICallHandler
        {
            public Task OnStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task OnMediaAsync(InboundMedia media, CancellationToken cancellationToken) => Task.CompletedTask;

            public Task OnMarkAsync(string name, MarkOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

            public Task OnDtmfAsync(DtmfEvent dtmf, CancellationToken cancellationToken) => Task.CompletedTask;

            public Task OnStopAsync(ConnectionErrorCode error, CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
