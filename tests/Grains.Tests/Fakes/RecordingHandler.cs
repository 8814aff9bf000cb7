using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>A call handler that records every callback; optionally throws from <see cref="OnMediaAsync"/>.</summary>
internal sealed class RecordingHandler(ICallSession session) : ICallHandler
{
    public ICallSession Session { get; } = session;

    public int Starts { get; private set; }

    public List<InboundMedia> Media { get; } = [];

    public List<(string Name, MarkOutcome Outcome)> Marks { get; } = [];

    public List<DtmfEvent> Dtmf { get; } = [];

    public List<ConnectionErrorCode> Stops { get; } = [];

    /// <summary>Result of a send attempted inside OnStopAsync (null when none was attempted).</summary>
    public EnqueueResult? SendOnStop { get; private set; }

    public bool SendOnStopEnabled { get; set; }

    public bool ThrowOnMedia { get; set; }

    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        Starts++;
        return Task.CompletedTask;
    }

    public Task OnMediaAsync(InboundMedia media, CancellationToken cancellationToken)
    {
        if (ThrowOnMedia)
        {
            throw new InvalidOperationException("handler fault for the test");
        }

        Media.Add(media);
        return Task.CompletedTask;
    }

    public Task OnMarkAsync(string name, MarkOutcome outcome, CancellationToken cancellationToken)
    {
        Marks.Add((name, outcome));
        return Task.CompletedTask;
    }

    public Task OnDtmfAsync(DtmfEvent dtmf, CancellationToken cancellationToken)
    {
        Dtmf.Add(dtmf);
        return Task.CompletedTask;
    }

    public Task OnStopAsync(ConnectionErrorCode error, CancellationToken cancellationToken)
    {
        Stops.Add(error);
        if (SendOnStopEnabled)
        {
            SendOnStop = Session.SendMedia(new byte[8]);
        }

        return Task.CompletedTask;
    }
}
