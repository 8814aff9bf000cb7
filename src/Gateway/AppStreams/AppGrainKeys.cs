namespace Switchboard.Gateway.AppStreams;

/// <summary>
/// The key space of application streams: connection grains keyed <c>app:{subject}:{streamSid}</c>, so an authenticated
/// application client can never reach a Twilio call's grain (keyed by its bare <c>MZ…</c> streamSid) nor another
/// subject's.
/// </summary>
internal static class AppGrainKeys
{
    /// <summary>Grain key of an application stream.</summary>
    public static string KeyOf(string subject, string streamSid) => $"app:{subject}:{streamSid}";
}
