namespace Switchboard.Runtime;

/// <summary>Creates location-transparent references to grains and observers.</summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of interface <typeparamref name="TGrainInterface"/> with <paramref name="primaryKey"/>.
    /// No activation happens until the first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey;

    /// <summary>Wraps a local object so that grains can call it back. The runtime holds the object strongly
    /// until <see cref="DeleteObjectReference{TGrainObserverInterface}(IGrainObserver)"/> is called.</summary>
    TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;

    /// <summary>Stops routing calls to an object previously passed to <see cref="CreateObjectReference{TGrainObserverInterface}(IGrainObserver)"/>.</summary>
    void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver;
}
