using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Observers;

/// <summary>One registered observer object with its mailbox: a single reader runs calls one at a time, in order.
/// After <see cref="Stop"/> queued calls are rejected rather than run.</summary>
internal sealed class ObserverEntry
{
    private readonly Channel<(Message Message, IGrainInvoker Invoker, SerializationContext Context)> _mailbox =
        Channel.CreateUnbounded<(Message, IGrainInvoker, SerializationContext)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _target;
    private readonly MessageCenter _messageCenter;
    private readonly ILogger _logger;
    private volatile bool _stopped;

    public ObserverEntry(GrainId id, object target, MessageCenter messageCenter, ILogger logger)
    {
        Id = id;
        _target = target;
        _messageCenter = messageCenter;
        _logger = logger;
        _ = Task.Run(PumpAsync);
    }

    public GrainId Id { get; }

    public void Enqueue(Message message, IGrainInvoker invoker, SerializationContext context)
    {
        if (_stopped || !_mailbox.Writer.TryWrite((message, invoker, context)))
        {
            RejectDeleted(message);
        }
    }

    public void Stop()
    {
        _stopped = true;
        _mailbox.Writer.TryComplete();
    }

    private async Task PumpAsync()
    {
        await foreach (var (message, invoker, context) in _mailbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_stopped)
            {
                RejectDeleted(message);
                continue;
            }

            await MessageInvoker.InvokeAsync(_target, message, invoker, context, _messageCenter, _logger).ConfigureAwait(false);
        }
    }

    private void RejectDeleted(Message message)
        => _messageCenter.Reject(message, new InvalidOperationException($"Observer {Id} was deleted."));
}
