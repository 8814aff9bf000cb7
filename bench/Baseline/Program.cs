using System.Globalization;
using System.Net;
using Switchboard.Bench.Baseline;

// Usage: dotnet Baseline.dll --port P   (listens on 127.0.0.1:P; exit code 2 for a bad command line)
int port = 0;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536)
    {
        port = p;
        i++;
    }
    else
    {
        await Console.Error.WriteLineAsync($"usage: Baseline --port <1-65535> (got '{string.Join(' ', args)}')").ConfigureAwait(false);
        return 2;
    }
}

if (port == 0)
{
    await Console.Error.WriteLineAsync("usage: Baseline --port <1-65535>").ConfigureAwait(false);
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();

// A yardstick measures the transport, not a logger: no log providers at all.
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port);
});

var app = builder.Build();
app.UseWebSockets();
app.Map("/twilio/media-stream", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
    await new EchoConnection(socket).RunAsync(context.RequestAborted).ConfigureAwait(false);
});

await app.RunAsync().ConfigureAwait(false);
return 0;
