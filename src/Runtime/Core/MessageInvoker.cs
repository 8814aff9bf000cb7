using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Core;

/// <summary>Runs one request or one-way message against its target through the generated invoker and sends the
/// outcome. Never throws: failures become an <see cref="ResponseStatus.Exception"/> response or a log line.</summary>
internal static class MessageInvoker
{
    public static async Task InvokeAsync(
        object target, Message message, IGrainInvoker invoker, SerializationContext context, MessageCenter messageCenter, ILogger logger)
    {
        try
        {
            var arguments = new CodecReader(message.Body, context);
            using var result = new CodecWriter();
            await invoker.InvokeAsync(target, message.MethodId, arguments, result);
            messageCenter.SendResponse(message, ResponseStatus.Ok, result.ToArray());
        }
#pragma warning disable CA1031 // Whatever the grain throws belongs to the caller (or the log for one-way calls).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (message.Kind == MessageKind.Request)
            {
                messageCenter.SendResponse(message, ResponseStatus.Exception, MessageCenter.Serialize(ex));
            }
            else
            {
                logger.OneWayFailed(ex, message.Target, SafeMethodName(invoker, message.MethodId));
            }
        }
    }

    private static string SafeMethodName(IGrainInvoker invoker, ushort methodId)
    {
        try
        {
            return invoker.GetMethodName(methodId);
        }
        catch (CodecException)
        {
            return methodId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
