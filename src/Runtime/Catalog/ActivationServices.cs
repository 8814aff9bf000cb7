using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Catalog;

/// <summary>What every activation of this silo shares; one instance per catalog.</summary>
internal sealed record ActivationServices(
    IServiceProvider Services,
    IGrainFactory GrainFactory,
    SerializationContext SerializationContext,
    MessageCenter MessageCenter,
    TimeProvider TimeProvider,
    GrainCollectionOptions Options,
    RuntimeInstruments Instruments,
    ILogger Logger);
