// Cluster mode's gateway-only process: Twilio endpoints and /health, calling grains on the silos over TCP.
// Needs Cluster__Membership=Postgres and ConnectionStrings__Cluster; see README "Cluster mode".
return await Switchboard.Gateway.Hosting.GatewayHost.RunAsync(args);
