namespace Switchboard.Runtime.Tests.TestGrains;

internal sealed class FailingGrain(TestProbe probe) : Grain, IFailingGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref probe.ActivationAttempts);
        await Task.Yield();
        if (probe.BlockActivation)
        {
            // Ignores the token on purpose: the runtime must still give up after ActivationTimeout.
            await probe.WaitGate("activate");
        }

        if (probe.FailActivation)
        {
            throw new InvalidOperationException("activation failed on purpose");
        }
    }

    public Task<int> Ping() => Task.FromResult(Volatile.Read(ref probe.ActivationAttempts));
}
