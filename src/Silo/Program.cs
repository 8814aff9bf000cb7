using Switchboard.Silo.Hosting;

// Embedded mode: one process hosting a silo (grain runtime, connection and health grains, Echo application)
// and the gateway (Kestrel endpoints for Twilio). `dotnet run --project src/Silo` needs no arguments or environment.
return await SiloHost.RunAsync(args);
