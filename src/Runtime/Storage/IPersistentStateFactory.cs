namespace Switchboard.Runtime.Storage;

/// <summary>Creates <see cref="IPersistentState{T}"/> bound to a grain and a state name, over the silo's
/// <see cref="IGrainStorage"/>. Injected into grain constructors.</summary>
public interface IPersistentStateFactory
{
    /// <summary>A state handle for <paramref name="grainId"/> named <paramref name="stateName"/> (not yet read).</summary>
    IPersistentState<T> Create<T>(GrainId grainId, string stateName);
}
