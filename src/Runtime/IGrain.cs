namespace Switchboard.Runtime;

/// <summary>Marker for grain interfaces. Use a keyed sub-interface such as <see cref="IGrainWithStringKey"/>.</summary>
public interface IGrain : IAddressable;
