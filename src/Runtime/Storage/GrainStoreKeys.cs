using Switchboard.Runtime.GrainDirectory;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// Argument rules shared by every grain storage and grain directory provider. The limits are the PostgreSQL column
/// sizes; the in-memory providers enforce them too, so code that works embedded does not start failing in cluster mode.
/// </summary>
internal static class GrainStoreKeys
{
    public const int MaxClusterId = 150;
    public const int MaxGrainType = 150;
    public const int MaxGrainKey = 512;
    public const int MaxStateName = 150;
    public const int MaxSilo = 100;
    public const int MaxActivationId = 64;

    /// <summary>A fresh ETag: unique across processes, so no two writes anywhere ever produce the same one.</summary>
    public static string NewETag() => Guid.NewGuid().ToString("N");

    public static void ValidateClusterId(string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        MaxLength(clusterId, MaxClusterId, nameof(clusterId));
    }

    public static void ValidateGrain(GrainId grainId, string paramName = "grainId")
    {
        if (string.IsNullOrEmpty(grainId.Type) || grainId.Key is null)
        {
            throw new ArgumentException($"Grain id '{grainId}' needs a type and a key.", paramName);
        }

        MaxLength(grainId.Type, MaxGrainType, paramName);
        MaxLength(grainId.Key, MaxGrainKey, paramName);
    }

    public static void ValidateState(GrainId grainId, string stateName)
    {
        ValidateGrain(grainId);
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        MaxLength(stateName, MaxStateName, nameof(stateName));
    }

    public static void ValidateAddress(GrainAddress address, string paramName = "address")
    {
        ArgumentNullException.ThrowIfNull(address, paramName);
        ValidateGrain(address.GrainId, paramName);
        ArgumentNullException.ThrowIfNull(address.Silo, paramName);
        ArgumentException.ThrowIfNullOrEmpty(address.ActivationId, paramName);
        MaxLength(address.Silo.ToString(), MaxSilo, paramName);
        MaxLength(address.ActivationId, MaxActivationId, paramName);
    }

    private static void MaxLength(string value, int max, string paramName)
    {
        if (value.Length > max)
        {
            throw new ArgumentException($"'{value[..Math.Min(value.Length, 40)]}...' is {value.Length} characters; the grain store allows at most {max}.", paramName);
        }
    }
}
