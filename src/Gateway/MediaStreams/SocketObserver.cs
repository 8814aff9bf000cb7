using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Twilio;
using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// The gateway side of one socket's outbound path. Grain calls (<see cref="Send"/>, <see cref="Close"/>) and the
/// session's own closes all go through one bounded channel with a single reader, so sends on the socket never
/// overlap and keep the order they were requested in. A full queue makes <see cref="Send"/> wait (back-pressure on
/// the grain's observer calls) rather than grow. After a close has been queued, or the socket failed, later frames
/// are dropped and counted: the socket is gone and there is nobody to tell.
/// </summary>
internal sealed class SocketObserver : IConnectionObserver
{
    // RFC 6455: a close reason is at most 123 bytes of UTF-8.
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly ILogger _logger;
    private readonly Channel<OutboundCommand> _queue;
    private readonly TwilioOutboundWriter _writer = new();
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private string _connectionId;

    public SocketObserver(WebSocket socket, string connectionId, int capacity, ILogger logger)
    {
        _socket = socket;
        _connectionId = connectionId;
        _logger = logger;
        _queue = Channel.CreateBounded<OutboundCommand>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Set once <c>start</c> gave the streamSid; outbound frames carry it.</summary>
    public string? StreamSid { get; set; }

    /// <summary>Completes when our close frame has been sent (or the send loop ended).</summary>
    public Task CloseSent => _closeSent.Task;

    /// <summary>Close requested by the grain (not by the session itself), if any.</summary>
    public CloseInstruction? GrainCloseInstruction { get; private set; }

    public long DroppedFrames => Interlocked.Read(ref _dropped);

    public Task Send(OutboundFrame frame) => EnqueueAsync(new OutboundCommand(frame, 0, null, null));

    public Task Close(CloseInstruction instruction)
    {
        GrainCloseInstruction = instruction;
        MediaStreamLog.CloseRequested(_logger, _connectionId, instruction.CloseStatus, instruction.Error, instruction.Reason);
        return EnqueueAsync(new OutboundCommand(null, instruction.CloseStatus, instruction.Reason, null));
    }

    /// <summary>Queues a close from the session (protocol error, stop, echoing the peer's close).</summary>
    public Task RequestCloseAsync(WebSocketCloseStatus status, string reason)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Chain(EnqueueAsync(new OutboundCommand(null, (int)status, reason, completion)), completion.Task);

        static async Task Chain(Task enqueued, Task sent)
        {
            await enqueued.ConfigureAwait(false);
            await sent.ConfigureAwait(false);
        }
    }

    public void UpdateConnectionId(string connectionId) => _connectionId = connectionId;

    /// <summary>The single send loop; ends after a close or when the socket fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var command in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (command.Frame is { } frame)
                {
                    if (StreamSid is null || _socket.State != WebSocketState.Open)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    var bytes = _writer.Write(StreamSid, frame);
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync((WebSocketCloseStatus)command.CloseStatus, TrimReason(command.CloseReason), cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    command.Completion?.TrySetResult();
                    _closeSent.TrySetResult();
                }

                break;
            }
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
        catch (Exception ex)
        {
            // Crash-or-continue: a send failure ends this socket's outbound path only, never the session's cleanup.
            MediaStreamLog.SendFailed(_logger, ex, _connectionId);
        }
        finally
        {
            _queue.Writer.TryComplete();
            _closeSent.TrySetResult();
            // Release anyone waiting on a close that will never be sent.
            while (_queue.Reader.TryRead(out var leftover))
            {
                leftover.Completion?.TrySetResult();
                if (leftover.Frame is not null)
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }
    }

    private Task EnqueueAsync(OutboundCommand command)
    {
        if (_queue.Writer.TryWrite(command))
        {
            return Task.CompletedTask;
        }

        return EnqueueSlowAsync(command);
    }

    private async Task EnqueueSlowAsync(OutboundCommand command)
    {
        while (await _queue.Writer.WaitToWriteAsync().ConfigureAwait(false))
        {
            if (_queue.Writer.TryWrite(command))
            {
                return;
            }
        }

        // Queue completed: the socket is closing or gone.
        Interlocked.Increment(ref _dropped);
        command.Completion?.TrySetResult();
    }

    private static string TrimReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return string.Empty;
        }

        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var length = Math.Min(reason.Length, MaxCloseReasonBytes);
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes)
        {
            length--;
        }

        return reason[..length];
    }
}
