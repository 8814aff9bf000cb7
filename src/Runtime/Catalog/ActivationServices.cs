using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Catalog;

/// <summary>What every activation of this silo shares; one instance per catalog. <see cref="Cluster"/> is null in
/// embedded mode (no directory: the catalog alone guarantees one activation per id).</summary>
internal sealed record ActivationServices(
    IServiceProvider Services,
    IGrainFactory GrainFactory,
    SerializationContext SerializationContext,
    MessageCenter MessageCenter,
    TimeProvider TimeProvider,
    GrainCollectionOptions Options,
    RuntimeInstruments Instruments,
    ILogger Logger,
    IClusterRouting? Cluster);
