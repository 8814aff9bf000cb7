namespace Switchboard.Runtime.Catalog;

/// <summary>DI marker written by <c>AddGrain&lt;TGrainInterface, TGrain&gt;()</c>.</summary>
internal sealed record GrainClassRegistration(Type InterfaceType, Type GrainClass);
