using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>Hand-written stand-in for the health grain: a settable snapshot (or failure) and recorded reports.</summary>
internal sealed class FakeHealthGrain(CallRecorder recorder) : IHealthGrain
{
    public HealthSnapshot Snapshot { get; set; } = new(HealthStatus.Healthy, 12.5, 3, 4.25, 18.5, [], [], []);

    public Exception? Failure { get; set; }

    public Task Report(NodeReport report)
    {
        recorder.Record(nameof(Report), report);
        return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
    }

    public Task<HealthSnapshot> GetHealth()
    {
        recorder.Record(nameof(GetHealth), null);
        return Failure is null ? Task.FromResult(Snapshot) : Task.FromException<HealthSnapshot>(Failure);
    }
}
