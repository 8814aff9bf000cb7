namespace Switchboard.Silo.Tests.Edge;

/// <summary>
/// Runs <see cref="EdgeAbuseTests"/> alone, after the other classes. Each of those tests asserts the echo band of a
/// call whose server shares this process's thread pool with the simulator; the hosts that other classes start and stop
/// meanwhile (an Orleans silo start holds pool threads for a while) are not the abuse under test, and on 2 cores they
/// once pushed a call's p90 to 946 ms with every byte echoed. Alone, the only disturbance is the one the test makes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EdgeCollection
{
    public const string Name = "Edge abuse, alone";
}
