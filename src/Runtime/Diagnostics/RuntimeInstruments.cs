using System.Diagnostics.Metrics;

namespace Switchboard.Runtime.Diagnostics;

/// <summary>Metrics of the grain runtime (meter <c>Switchboard.Runtime</c>).</summary>
internal sealed class RuntimeInstruments
{
    public const string MeterName = "Switchboard.Runtime";

    public RuntimeInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        ActivationsCreated = meter.CreateCounter<long>("switchboard.runtime.activations.created", description: "Activations created.");
        ActivationsDeactivated = meter.CreateCounter<long>("switchboard.runtime.activations.deactivated", description: "Activations removed.");
        ActivationsFailed = meter.CreateCounter<long>("switchboard.runtime.activations.failed", description: "Activations whose OnActivateAsync failed.");
        ActiveActivations = meter.CreateUpDownCounter<long>("switchboard.runtime.activations.active", description: "Live activations.");
        MessagesSent = meter.CreateCounter<long>("switchboard.runtime.messages.sent", description: "Requests and one-way messages sent.");
        MessagesReceived = meter.CreateCounter<long>("switchboard.runtime.messages.received", description: "Requests and one-way messages received.");
        Timeouts = meter.CreateCounter<long>("switchboard.runtime.calls.timeouts", description: "Calls that got no response in time.");
        MessagesDropped = meter.CreateCounter<long>("switchboard.runtime.messages.dropped", description: "One-way messages and responses that could not be delivered.");
        MessagesForwarded = meter.CreateCounter<long>("switchboard.runtime.messages.forwarded", description: "Messages a silo passed on to the grain's registered or new activation.");
        GrainsRelocated = meter.CreateCounter<long>("switchboard.runtime.grains.relocated", description: "Grain routes that moved to another silo after a failure or hand-off.");
        PendingCallsBroken = meter.CreateCounter<long>("switchboard.runtime.calls.broken", description: "Calls failed at once because their node became unreachable.");
        ThreadPoolQueueDelay = meter.CreateHistogram<double>("switchboard.runtime.threadpool.queue_delay", unit: "ms", description: "Time work queued to the thread pool waited before it ran.");
    }

    public Counter<long> ActivationsCreated { get; }

    public Counter<long> ActivationsDeactivated { get; }

    public Counter<long> ActivationsFailed { get; }

    public UpDownCounter<long> ActiveActivations { get; }

    public Counter<long> MessagesSent { get; }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> Timeouts { get; }

    public Counter<long> MessagesDropped { get; }

    public Counter<long> MessagesForwarded { get; }

    public Counter<long> GrainsRelocated { get; }

    public Counter<long> PendingCallsBroken { get; }

    /// <summary>Measured by <see cref="ThreadPoolDelayMonitor"/>.</summary>
    public Histogram<double> ThreadPoolQueueDelay { get; }
}
