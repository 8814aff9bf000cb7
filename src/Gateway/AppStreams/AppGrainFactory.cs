using Switchboard.Grains;
using Switchboard.Runtime;

namespace Switchboard.Gateway.AppStreams;

/// <summary>
/// The grain factory an application stream's session sees: connection grains live in the key space
/// <c>app:{subject}:{streamSid}</c>, so an authenticated application client can never reach a Twilio call's grain (keyed
/// by its bare <c>MZ…</c> streamSid) nor another subject's. Everything else passes through unchanged.
/// </summary>
internal sealed class AppGrainFactory(IGrainFactory inner, string subject) : IGrainFactory
{
    /// <summary>Grain key of an application stream.</summary>
    public static string KeyOf(string subject, string streamSid) => $"app:{subject}:{streamSid}";

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey =>
        typeof(TGrainInterface) == typeof(IConnectionGrain)
            ? inner.GetGrain<TGrainInterface>(KeyOf(subject, primaryKey))
            : inner.GetGrain<TGrainInterface>(primaryKey);

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver =>
        inner.CreateObjectReference<TGrainObserverInterface>(obj);

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver =>
        inner.DeleteObjectReference<TGrainObserverInterface>(obj);
}
