namespace Switchboard.TwilioSim;

/// <summary>The parsed command line: either options to run, a help request, or an error (exit code 2).</summary>
internal sealed record CommandLine(SimulatorOptions? Options, bool Json, bool ShowHelp, string? Error);
