namespace Switchboard.Runtime.Messaging;

/// <summary>Accepts messages arriving at this node. Implementations only enqueue: they never block and never run
/// grain code inline, so a transport may call them from its I/O loop.</summary>
internal interface IMessageReceiver
{
    void Receive(Message message);
}
