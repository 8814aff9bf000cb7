using System.Diagnostics.Metrics;

namespace Switchboard.Runtime.Networking;

/// <summary>
/// Metrics of the cluster transport (meter <c>Switchboard.Networking</c>). Observable instruments read the manager's
/// totals when collected, so the send and receive paths pay nothing per message for them.
/// </summary>
internal sealed class NetworkingInstruments
{
    public const string MeterName = "Switchboard.Networking";

    public NetworkingInstruments(IMeterFactory meterFactory, ConnectionManager manager)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(manager);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("switchboard.networking.messages.sent", () => manager.GetCounters().MessagesSent, description: "Message frames flushed to sockets.");
        meter.CreateObservableCounter("switchboard.networking.messages.received", () => manager.GetCounters().MessagesReceived, description: "Message frames received.");
        meter.CreateObservableCounter("switchboard.networking.frames.sent", () => manager.GetCounters().FramesSent, description: "Frames flushed to sockets.");
        meter.CreateObservableCounter("switchboard.networking.frames.received", () => manager.GetCounters().FramesReceived, description: "Frames received.");
        meter.CreateObservableCounter("switchboard.networking.flushes", () => manager.GetCounters().Flushes, description: "Socket flushes (messages are batched per flush).");
        meter.CreateObservableCounter("switchboard.networking.messages.dropped", () => manager.GetCounters().MessagesDropped, description: "Queued messages lost with their connection.");
        meter.CreateObservableCounter("switchboard.networking.sends.queue_full", () => manager.GetCounters().SendQueueFull, description: "Sends refused by backpressure.");
        meter.CreateObservableCounter("switchboard.networking.connects.failed", () => manager.GetCounters().ConnectFailures, description: "Outgoing connects that failed.");
        meter.CreateObservableCounter("switchboard.networking.handshakes.refused", () => manager.GetCounters().HandshakesRefused, description: "Handshakes refused.");
        meter.CreateObservableUpDownCounter("switchboard.networking.connections", () => (long)manager.ConnectedNodes.Count, description: "Peers with an established connection.");
    }
}
