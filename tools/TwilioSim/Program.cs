namespace Switchboard.TwilioSim;

/// <summary>Entry point: parse, run, print, exit 0/1/2 (see <see cref="CommandLineParser.Usage"/>).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var commandLine = CommandLineParser.Parse(args);
        if (commandLine.ShowHelp)
        {
            Console.Out.WriteLine(CommandLineParser.Usage);
            return 0;
        }

        if (commandLine.Error is not null || commandLine.Options is null)
        {
            await Console.Error.WriteLineAsync("error: " + commandLine.Error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLineParser.Usage).ConfigureAwait(false);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var summary = await Simulator.RunAsync(commandLine.Options, cancellation.Token).ConfigureAwait(false);
        await Console.Out.WriteLineAsync(commandLine.Json ? summary.ToJson() : summary.ToText()).ConfigureAwait(false);
        return summary.ExitCode;
    }
}
