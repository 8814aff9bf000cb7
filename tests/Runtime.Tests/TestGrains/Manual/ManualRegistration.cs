using System.Runtime.CompilerServices;
using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

internal static class ManualRegistration
{
#pragma warning disable CA2255 // Mirrors what generated code does: register before any lookup.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        GrainInterfaceRegistry.Register(TestGrainManualCode.Descriptor);
        GrainInterfaceRegistry.Register(TestObserverManualCode.Descriptor);
        GrainInterfaceRegistry.Register(FailingGrainManualCode.Descriptor);
    }
}
