using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Recognises start-up validation failures. When several option sections are invalid at once (say, the Twilio settings
/// and the TLS/proxy requirement of Production) the host throws an <see cref="AggregateException"/> of
/// <see cref="OptionsValidationException"/>s; an operator should see every message, not a stack trace.
/// </summary>
public static class ConfigurationFailure
{
    /// <summary>True when <paramref name="exception"/> is one or more option validation failures; <paramref name="message"/> joins them.</summary>
    public static bool TryDescribe(Exception exception, out string message)
    {
        switch (exception)
        {
            case OptionsValidationException single:
                message = single.Message;
                return true;
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => e is OptionsValidationException):
                message = string.Join(" ", aggregate.InnerExceptions.Select(e => e.Message));
                return true;
            default:
                message = string.Empty;
                return false;
        }
    }
}
