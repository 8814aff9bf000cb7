using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Runtime.Messaging;

/// <summary>
/// Transport for a single process: delivers synchronously to the local receiver on the sender's thread. Because
/// receivers only enqueue, this keeps per-sender order (FIFO) without a queue of its own and runs no grain code inline.
/// The receiver is resolved lazily because it (through the catalog) depends on the message center, which depends on us.
/// </summary>
internal sealed class InProcessMessageTransport(IServiceProvider services) : IMessageTransport
{
    private IMessageReceiver? _receiver;

    public void Send(Message message)
        => (_receiver ??= services.GetRequiredService<IMessageReceiver>()).Receive(message);
}
