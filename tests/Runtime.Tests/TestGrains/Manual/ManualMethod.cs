using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

/// <summary>One method of a hand-written invoker (stand-in for generated code until the generator lands).</summary>
internal sealed record ManualMethod(string Name, InvocationFlags Flags, Func<object, CodecReader, CodecWriter, ValueTask> Invoke);
