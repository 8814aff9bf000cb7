using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Calls;

/// <summary>
/// Which stream of one call is live (key: <c>callSid</c>). Soft state: it only remembers the last stream granted, and
/// on a conflict asks that stream's connection grain whether it is still live, so a holder that ended, or whose start
/// never got through, never blocks the next stream, and nothing has to be released.
/// </summary>
/// <remarks>Failure modes: the holder's grain cannot be asked within <see cref="HolderCheckTimeout"/> (its silo is
/// failing over) → refused: Twilio never needs a second stream meanwhile, a stranger must not get one. This grain lost
/// with its silo → the next claim is granted: for the length of that window a second stream for the call can start, and
/// the connection grain's own rule (one socket per <c>streamSid</c>) still holds.</remarks>
[GrainType("call")]
internal sealed class CallGrain(ILogger<CallGrain> logger) : Grain, ICallGrain
{
    /// <summary>How long a conflict waits for the holder's connection grain to say whether it is live.</summary>
    public static readonly TimeSpan HolderCheckTimeout = TimeSpan.FromSeconds(2);

    private string? _holder;
    private string? _holderAddress;

    /// <inheritdoc />
    public async Task<CallClaim> Claim(string streamSid, string? remoteAddress)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamSid);
        if (_holder is not null && !string.Equals(_holder, streamSid, StringComparison.Ordinal) && await IsLiveAsync(_holder))
        {
            CallLog.SecondStreamRefused(logger, this.GetPrimaryKeyString(), streamSid, _holder);
            return new CallClaim(false, _holder, _holderAddress);
        }

        _holder = streamSid;
        _holderAddress = remoteAddress;
        return new CallClaim(true, null, null);
    }

    private async Task<bool> IsLiveAsync(string streamSid)
    {
        try
        {
            var snapshot = await GrainFactory.GetGrain<IConnectionGrain>(streamSid).GetSnapshot().WaitAsync(HolderCheckTimeout);
            return snapshot.State is ConnectionState.Connected or ConnectionState.Reconnecting;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.HolderCheckFailed(logger, this.GetPrimaryKeyString(), streamSid, ex);
            return true;
        }
    }
}
