using System.Collections.Concurrent;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>Receiver that records what arrives, in order.</summary>
internal sealed class RecordingReceiver : IMessageReceiver
{
    private readonly ConcurrentQueue<Message> _messages = new();

    public int Count => _messages.Count;

    public IReadOnlyList<Message> Messages => _messages.ToArray();

    public void Receive(Message message) => _messages.Enqueue(message);
}
