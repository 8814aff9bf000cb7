using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.GrainDirectory;

/// <summary>Where one activation of a grain lives: the silo and a per-activation id (so an entry written by an
/// earlier activation on the same silo is never mistaken for the current one).</summary>
/// <param name="GrainId">The grain.</param>
/// <param name="Silo">The silo hosting the activation.</param>
/// <param name="ActivationId">Unique per activation.</param>
public sealed record GrainAddress(GrainId GrainId, SiloAddress Silo, string ActivationId);
