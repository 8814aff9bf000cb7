namespace Switchboard.Cluster.Tests.Harness;

/// <summary>The outcome of <see cref="Poll.TryUntilAsync{T}"/>.</summary>
/// <param name="Satisfied">Whether the condition held before the timeout.</param>
/// <param name="HasValue">Whether any read succeeded.</param>
/// <param name="Value">The last value read (the satisfying one when <paramref name="Satisfied"/>).</param>
/// <param name="Error">The last read error, if the last read failed.</param>
/// <param name="Elapsed">Time from the start of polling to the satisfying read (or to giving up).</param>
internal readonly record struct PollResult<T>(bool Satisfied, bool HasValue, T? Value, Exception? Error, TimeSpan Elapsed);
