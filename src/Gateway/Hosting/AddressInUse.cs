using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Switchboard.Gateway.Hosting;

/// <summary>Recognises Kestrel's "port already taken" failure at start, wherever in the exception chain it sits, so the
/// gateway and the embedded silo both turn it into one line naming the key to change.</summary>
public static class AddressInUse
{
    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions says the address is in use.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        AddressInUseException => true,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
