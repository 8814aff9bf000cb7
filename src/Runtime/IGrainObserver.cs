namespace Switchboard.Runtime;

/// <summary>
/// A callback interface that a client (the gateway) implements and hands to a grain as a reference
/// created by <see cref="IGrainFactory.CreateObjectReference{TGrainObserverInterface}(IGrainObserver)"/>.
/// Observer calls execute one at a time per observer object, in arrival order.
/// </summary>
public interface IGrainObserver : IAddressable;
