namespace Switchboard.Runtime;

/// <summary>Marker for anything the runtime can address by identity: grains and grain observers.</summary>
public interface IAddressable;
