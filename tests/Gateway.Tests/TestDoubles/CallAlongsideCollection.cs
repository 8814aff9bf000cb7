namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// Tests that stream a <see cref="CallAlongside"/> run in this collection: one at a time and after the parallel tests,
/// so each call's round trip is measured on a machine only it (and its bad input) is loading.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CallAlongsideCollection
{
    public const string Name = "call alongside";
}
