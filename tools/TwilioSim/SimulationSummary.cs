using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.TwilioSim;

/// <summary>
/// The outcome of a run. Latencies are echo round trips in milliseconds over all calls.
/// <see cref="ExitCode"/> is 0 only when every call connected and completed, nothing was lost or mismatched
/// and no error was recorded.
/// </summary>
internal sealed record SimulationSummary
{
    /// <summary>Calls requested.</summary>
    public int Calls { get; init; }

    /// <summary>Calls whose socket opened and whose <c>start</c> was sent.</summary>
    public int Connected { get; init; }

    /// <summary>Calls that failed to connect or ended abnormally (unexpected close, send failure, timeout).</summary>
    public int Failed { get; init; }

    /// <summary>Inbound <c>media</c> messages sent.</summary>
    public long MediaSent { get; init; }

    /// <summary>Inbound audio bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>Outbound audio bytes received.</summary>
    public long BytesEchoed { get; init; }

    /// <summary>Sent bytes never echoed.</summary>
    public long Lost { get; init; }

    /// <summary>Echoed bytes that differed from the bytes sent at that offset (or exceeded them).</summary>
    public long Mismatched { get; init; }

    /// <summary>Mark echoes sent back to the server.</summary>
    public long MarksEchoed { get; init; }

    /// <summary>Round trips measured.</summary>
    public long RoundTrips { get; init; }

    /// <summary>Median echo round trip, ms.</summary>
    public double P50 { get; init; }

    /// <summary>90th percentile echo round trip, ms.</summary>
    public double P90 { get; init; }

    /// <summary>99th percentile echo round trip, ms.</summary>
    public double P99 { get; init; }

    /// <summary>Maximum echo round trip, ms.</summary>
    public double Max { get; init; }

    /// <summary>Ticks the pacing loop had to catch up on because it fell behind.</summary>
    public long LateTicks { get; init; }

    /// <summary>Wall time of the run, seconds.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Calls whose socket the server ended (close frame or dropped connection) before the call's own <c>stop</c>.</summary>
    public int ServerCloses { get; init; }

    /// <summary>The longest echo gap of any call while it streamed, ms (see <see cref="EchoMatcher"/>).</summary>
    public double LongestEchoGapMs { get; init; }

    /// <summary>Connect failures, unexpected closes (with codes), protocol errors, timeouts.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Per-call figures, by call index (not in the JSON output: a run may have many thousands of calls).</summary>
    [JsonIgnore]
    public IReadOnlyList<CallResult> CallResults { get; init; } = [];

    /// <summary>0 = success, 1 = a call failed or audio was lost/mismatched or an error was recorded.</summary>
    [JsonIgnore]
    public int ExitCode => Connected == Calls && Failed == 0 && Lost == 0 && Mismatched == 0 && Errors.Count == 0 ? 0 : 1;

    /// <summary>Single-line JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TwilioJsonContext.Default.SimulationSummary);

    /// <summary>Human-readable multi-line summary.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"calls      {Connected}/{Calls} connected, {Failed} failed, {ElapsedSeconds:F1} s");
        text.AppendLine(inv, $"media      {MediaSent} messages, {BytesSent} bytes sent, {BytesEchoed} echoed");
        text.AppendLine(inv, $"integrity  {Lost} bytes lost, {Mismatched} bytes mismatched");
        text.AppendLine(inv, $"marks      {MarksEchoed} echoed");
        text.AppendLine(inv, $"continuity longest echo gap {LongestEchoGapMs:F1} ms, {ServerCloses} calls closed by the server");
        text.AppendLine(inv, $"echo RTT   p50 {P50:F1} ms, p90 {P90:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms over {RoundTrips} round trips");
        text.AppendLine(inv, $"pacing     {LateTicks} late ticks");
        text.AppendLine(inv, $"errors     {Errors.Count}");
        foreach (var error in Errors)
        {
            text.AppendLine(inv, $"  - {error}");
        }

        text.Append(ExitCode == 0 ? "result     OK" : "result     FAILED");
        return text.ToString();
    }
}
