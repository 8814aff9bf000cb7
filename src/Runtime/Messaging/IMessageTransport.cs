namespace Switchboard.Runtime.Messaging;

/// <summary>
/// Moves messages between the node that sends them and the node that hosts the target. The in-process
/// implementation hands them straight to the local <see cref="IMessageReceiver"/>; a network transport serializes them.
/// Send never throws for delivery problems: a transport that cannot deliver a request answers it with a
/// <see cref="ResponseStatus.Rejected"/> response, and drops (and logs) anything else.
/// </summary>
internal interface IMessageTransport
{
    void Send(Message message);
}
