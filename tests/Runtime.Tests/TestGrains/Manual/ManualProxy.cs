using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

/// <summary>Base of hand-written proxies: same wire behaviour as generated ones (arguments serialized, runtime-routed).</summary>
internal abstract class ManualProxy(IGrainReferenceRuntime runtime, GrainId grainId, ManualInvoker invoker) : GrainReference(runtime, grainId)
{
    public override uint InterfaceId => ManualCodec.InterfaceIdOf(InterfaceType);

    protected async Task<T> Call<T>(ushort methodId, Action<CodecWriter> write, Func<CodecReader, T> read)
    {
        var writer = CreateArgumentWriter();
        write(writer);
        var body = await Runtime.InvokeAsync(this, methodId, invoker.GetFlags(methodId), writer).ConfigureAwait(false);
        return read(new CodecReader(body, Runtime.SerializationContext));
    }

    protected async Task Call(ushort methodId, Action<CodecWriter> write)
    {
        var writer = CreateArgumentWriter();
        write(writer);
        await Runtime.InvokeAsync(this, methodId, invoker.GetFlags(methodId), writer).ConfigureAwait(false);
    }

    protected Task Send(ushort methodId, Action<CodecWriter> write)
    {
        var writer = CreateArgumentWriter();
        write(writer);
        Runtime.InvokeOneWay(this, methodId, invoker.GetFlags(methodId), writer);
        return Task.CompletedTask;
    }
}
