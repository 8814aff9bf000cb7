using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Observers;

namespace Switchboard.Runtime.Core;

/// <summary>Receiving side of this node: responses complete callbacks, requests go to observers or the catalog.</summary>
internal sealed class MessageDispatcher(MessageCenter messageCenter, GrainCatalog catalog, ObserverRegistry observers, GrainRuntime runtime)
    : IMessageReceiver
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
            catalog.Deliver(message);
        }
    }
}
