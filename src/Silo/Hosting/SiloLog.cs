namespace Switchboard.Silo.Hosting;

/// <summary>Log events of the silo host (event ids 9000–9099).</summary>
internal static partial class SiloLog
{
    [LoggerMessage(EventId = 9000, EventName = "Listening", Level = LogLevel.Information,
        Message = "Switchboard listening on {Address} ({Mode} mode)")]
    public static partial void Listening(ILogger logger, string address, string mode);

    [LoggerMessage(EventId = 9001, EventName = "PortInUse", Level = LogLevel.Critical,
        Message = "Port {Port} is already in use; set {ConfigurationKey} (environment variable {EnvironmentVariable}) to a free port")]
    public static partial void PortInUse(ILogger logger, int port, string configurationKey, string environmentVariable);

    [LoggerMessage(EventId = 9002, EventName = "InvalidConfiguration", Level = LogLevel.Critical,
        Message = "Invalid configuration: {Reason}")]
    public static partial void InvalidConfiguration(ILogger logger, string reason);

    [LoggerMessage(EventId = 9003, EventName = "HealthReportFailed", Level = LogLevel.Warning,
        Message = "Silo health report failed")]
    public static partial void HealthReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9004, EventName = "MembershipStoreUnreachable", Level = LogLevel.Warning,
        Message = "The membership store does not answer this silo: {Error}; calls keep flowing, membership changes and checkpoints wait for it")]
    public static partial void MembershipStoreUnreachable(ILogger logger, string error);

    [LoggerMessage(EventId = 9005, EventName = "MembershipStoreReachable", Level = LogLevel.Information,
        Message = "The membership store answers this silo again")]
    public static partial void MembershipStoreReachable(ILogger logger);
}
