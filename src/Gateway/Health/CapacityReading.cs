namespace Switchboard.Gateway.Health;

/// <summary>This gateway's WebSocket connections against <c>Gateway:MaxConnections</c>, as <c>/health</c> reports them.</summary>
internal readonly record struct CapacityReading(int Held, int Max);
