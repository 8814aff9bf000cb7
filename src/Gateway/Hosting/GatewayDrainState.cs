namespace Switchboard.Gateway.Hosting;

/// <summary>Whether this gateway is draining (shutting down): it then refuses new streams and reports not ready.</summary>
internal sealed class GatewayDrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void BeginDraining() => _draining = true;
}
