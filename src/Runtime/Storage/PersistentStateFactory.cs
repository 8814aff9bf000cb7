using Switchboard.Runtime.Core;

namespace Switchboard.Runtime.Storage;

/// <summary>Creates <see cref="PersistentState{T}"/> over the silo's <see cref="IGrainStorage"/>, decoding with the
/// runtime's serialization context so references stored in state come back as live references of this silo.</summary>
internal sealed class PersistentStateFactory(IGrainStorage storage, GrainRuntime runtime) : IPersistentStateFactory
{
    public IPersistentState<T> Create<T>(GrainId grainId, string stateName)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        return new PersistentState<T>(grainId, stateName, storage, runtime.SerializationContext);
    }
}
