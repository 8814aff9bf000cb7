using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Observers;

namespace Switchboard.Runtime.Core;

/// <summary>Receiving side of a cluster client (gateway): responses complete its calls, observer calls reach its
/// observers; a grain request is refused, because clients host no grains.</summary>
internal sealed class ClientMessageDispatcher(MessageCenter messageCenter, ObserverRegistry observers, GrainRuntime runtime) : IMessageReceiver
{
    public void Receive(Message message)
    {
        if (message.Kind == MessageKind.Response)
        {
            messageCenter.OnResponse(message);
        }
        else if (message.Target.IsObserver)
        {
            observers.Deliver(message, runtime.SerializationContext);
        }
        else
        {
            messageCenter.Reject(message, new NotSupportedException(
                $"{message.Target} was sent to cluster client {messageCenter.LocalId}; clients host no grains."));
        }
    }
}
