namespace Switchboard.TwilioSim;

/// <summary>Live progress of a run (see <see cref="SimulationRun.Snapshot"/>): calls per phase and byte counters.</summary>
internal sealed record SimulationSnapshot
{
    /// <summary>Calls requested.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls not yet connected (waiting for their ramp offset, or connecting).</summary>
    public required int Starting { get; init; }

    /// <summary>Calls sending inbound media.</summary>
    public required int Streaming { get; init; }

    /// <summary>Calls past streaming: draining, stopping or completed.</summary>
    public required int Ending { get; init; }

    /// <summary>Calls completed normally.</summary>
    public required int Completed { get; init; }

    /// <summary>Calls that failed.</summary>
    public required int Failed { get; init; }

    /// <summary>Calls whose socket the server ended before the call's own <c>stop</c>.</summary>
    public required int ServerCloses { get; init; }

    /// <summary>Inbound audio bytes sent so far.</summary>
    public required long BytesSent { get; init; }

    /// <summary>Outbound audio bytes received so far.</summary>
    public required long BytesEchoed { get; init; }

    /// <summary>Per-call figures, by call index.</summary>
    public required IReadOnlyList<CallResult> CallResults { get; init; }

    /// <summary>One line for test output and progress logs.</summary>
    public override string ToString() =>
        $"{Calls} calls: {Starting} starting, {Streaming} streaming, {Ending} ending ({Completed} completed), {Failed} failed, " +
        $"{ServerCloses} closed by server; {BytesSent} bytes sent, {BytesEchoed} echoed";
}
