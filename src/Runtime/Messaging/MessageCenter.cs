using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Messaging;

/// <summary>
/// Sending side of messaging: numbers requests, keeps one pending callback per outstanding request and fails it with
/// <see cref="TimeoutException"/> when <see cref="MessagingOptions.ResponseTimeout"/> passes first.
/// Invariants: a callback completes exactly once (response, timeout or rejection, whichever removes it from the table
/// first); a response arriving after its timeout is logged and dropped; nothing is retried (at-most-once).
/// </summary>
internal sealed class MessageCenter(
    IMessageTransport transport,
    SiloIdentity identity,
    TimeProvider timeProvider,
    IOptions<MessagingOptions> options,
    RuntimeInstruments instruments,
    ILogger<MessageCenter> logger)
{
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly TimeSpan _timeout = options.Value.ResponseTimeout;
    private long _nextRequestId;

    public string LocalId => identity.Id;

    public int PendingCount => _pending.Count;

    public Task<Message> SendRequestAsync(GrainId target, uint interfaceId, ushort methodId, InvocationFlags flags, ReadOnlyMemory<byte> body)
    {
        var message = new Message
        {
            Kind = MessageKind.Request,
            RequestId = Interlocked.Increment(ref _nextRequestId),
            Target = target,
            InterfaceId = interfaceId,
            MethodId = methodId,
            Flags = flags,
            Body = body,
            SenderId = identity.Id,
        };
        var call = new PendingCall(message);
        _pending[message.RequestId] = call;

        // Armed before sending so a response can never race ahead of the timer's creation.
        call.Timer = timeProvider.CreateTimer(state => OnTimeout((PendingCall)state!), call, _timeout, Timeout.InfiniteTimeSpan);
        instruments.MessagesSent.Add(1);
        transport.Send(message);
        return call.Completion.Task;
    }

    public void SendOneWay(GrainId target, uint interfaceId, ushort methodId, InvocationFlags flags, ReadOnlyMemory<byte> body)
    {
        instruments.MessagesSent.Add(1);
        transport.Send(new Message
        {
            Kind = MessageKind.OneWay,
            RequestId = Interlocked.Increment(ref _nextRequestId),
            Target = target,
            InterfaceId = interfaceId,
            MethodId = methodId,
            Flags = flags | InvocationFlags.OneWay,
            Body = body,
            SenderId = identity.Id,
        });
    }

    public void SendResponse(Message request, ResponseStatus status, ReadOnlyMemory<byte> body)
    {
        if (request.Kind == MessageKind.Request)
        {
            transport.Send(request.CreateResponse(status, body));
        }
    }

    /// <summary>Refuses a message: a request gets a <see cref="ResponseStatus.Rejected"/> response, a one-way is logged.</summary>
    public void Reject(Message message, Exception reason)
    {
        if (message.Kind == MessageKind.Request)
        {
            SendResponse(message, ResponseStatus.Rejected, Serialize(reason));
        }
        else
        {
            logger.MessageRejected(reason, message.ToString());
        }
    }

    public void OnResponse(Message response)
    {
        if (!_pending.TryRemove(response.RequestId, out var call))
        {
            logger.LateResponse(response.RequestId, response.Target);
            return;
        }

        call.Timer?.Dispose();
        call.Completion.TrySetResult(response);
    }

    /// <summary>Fails at once, with <see cref="SiloUnavailableException"/>, every pending call whose request was routed
    /// to <paramref name="nodeId"/> (its connection broke or it was declared dead): callers never wait for the timeout.</summary>
    public int FailPendingTo(string nodeId)
    {
        var failed = 0;
        foreach (var (requestId, call) in _pending)
        {
            if (string.Equals(call.Request.Destination, nodeId, StringComparison.Ordinal) && _pending.TryRemove(requestId, out _))
            {
                call.Timer?.Dispose();
                call.Completion.TrySetException(new SiloUnavailableException(
                    $"The connection to {nodeId} was lost before {call.Request.Target} answered; the call may or may not have run."));
                failed++;
            }
        }

        if (failed > 0)
        {
            instruments.PendingCallsBroken.Add(failed);
            logger.PendingCallsFailed(failed, nodeId);
        }

        return failed;
    }

    public static byte[] Serialize(Exception exception)
    {
        using var writer = new CodecWriter();
        ExceptionCodec.Write(writer, exception);
        return writer.ToArray();
    }

    private void OnTimeout(PendingCall call)
    {
        if (!_pending.TryRemove(call.Request.RequestId, out _))
        {
            return;
        }

        call.Timer?.Dispose();
        instruments.Timeouts.Add(1);
        var request = call.Request;
        logger.CallTimedOut(request.Target, request.InterfaceId, request.MethodId, _timeout);
        call.Completion.TrySetException(new TimeoutException(
            $"No response from {request.Target} to method {request.MethodId} of interface {request.InterfaceId} within {_timeout}; the call may or may not have run."));
    }

    private sealed class PendingCall(Message request)
    {
        public Message Request { get; } = request;

        public TaskCompletionSource<Message> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITimer? Timer { get; set; }
    }
}
