using System.Globalization;

namespace Switchboard.TwilioSim;

/// <summary>
/// Hand-written parser for the simulator's flags (<c>--name value</c> or <c>--name=value</c>). Every error
/// names the flag, the rule and the value; parsing never throws.
/// </summary>
internal static class CommandLineParser
{
    /// <summary>Usage text printed by <c>--help</c> and after argument errors.</summary>
    public const string Usage = """
        Usage: TwilioSim --url ws://host:port/path [options]
          --url URL           Media Streams endpoint (ws:// or wss://). Required.
          --calls N           concurrent calls (default 1)
          --duration S        seconds of inbound media per call (default 10)
          --ramp S            spread call starts over S seconds (default 0)
          --drain S           max seconds to wait for echoes and marks before stop (default 2)
          --timeout S         hard limit for the whole run (default ramp + duration + drain + 10)
          --auth-token T      sign the upgrade with X-Twilio-Signature
          --public-url URL    public base URL whose host Twilio signs (e.g. https://x.ngrok.app)
          --audio FILE        raw 8 kHz mono u-law audio, looped (default: generated speech-like audio)
          --param NAME=VALUE  add a start.customParameters entry (repeatable)
          --json              print a single-line JSON summary
          --help              show this text
        Exit codes: 0 all calls connected, nothing lost or mismatched; 1 otherwise; 2 bad arguments.
        """;

    /// <summary>Parses <paramref name="args"/>; <paramref name="readFile"/> loads <c>--audio</c> (default: File.ReadAllBytes).</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, Func<string, byte[]>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        readFile ??= File.ReadAllBytes;
        Uri? url = null;
        Uri? publicUrl = null;
        int calls = SimulatorOptions.DefaultCalls;
        TimeSpan duration = SimulatorOptions.DefaultDuration;
        TimeSpan ramp = TimeSpan.Zero;
        TimeSpan drain = SimulatorOptions.DefaultDrain;
        TimeSpan? timeout = null;
        string? authToken = null;
        string? audioPath = null;
        bool json = false;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }

            switch (name)
            {
                case "--help" or "-h" or "-?":
                    return new CommandLine(null, json, true, null);
                case "--json":
                    json = true;
                    continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                return Fail($"unexpected argument '{arg}'.");
            }

            string? value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return Fail($"{name} needs a value.");
                }

                value = args[++i];
            }

            string? error = name switch
            {
                "--url" => TryUri(name, value, out url),
                "--public-url" => TryUri(name, value, out publicUrl),
                "--calls" => TryInt(name, value, out calls),
                "--duration" => TrySeconds(name, value, out duration),
                "--ramp" => TrySeconds(name, value, out ramp),
                "--drain" => TrySeconds(name, value, out drain),
                "--timeout" => TryTimeout(name, value, out timeout),
                "--auth-token" => Assign(value, out authToken),
                "--audio" => Assign(value, out audioPath),
                "--param" => TryParameter(name, value, parameters),
                _ => $"unknown option '{name}'.",
            };
            if (error is not null)
            {
                return Fail(error);
            }
        }

        if (url is null)
        {
            return Fail("--url is required.");
        }

        ReadOnlyMemory<byte> audio = default;
        if (audioPath is not null)
        {
            try
            {
                audio = readFile(audioPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return Fail($"--audio '{audioPath}' cannot be read: {exception.Message}");
            }

            if (audio.Length < 160)
            {
                return Fail($"--audio '{audioPath}' must hold at least 160 bytes of u-law audio (got {audio.Length}).");
            }
        }

        var options = new SimulatorOptions
        {
            Url = url,
            Calls = calls,
            Duration = duration,
            Ramp = ramp,
            Drain = drain,
            Timeout = timeout,
            AuthToken = authToken,
            PublicUrl = publicUrl,
            Audio = audio,
            CustomParameters = parameters,
        };
        return options.Validate() is { } invalid ? Fail(invalid) : new CommandLine(options, json, false, null);
    }

    private static CommandLine Fail(string error) => new(null, false, false, error);

    private static string? Assign(string value, out string? target)
    {
        target = value;
        return null;
    }

    private static string? TryUri(string name, string value, out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri) ? null : $"{name} must be an absolute URL (got '{value}').";

    private static string? TryInt(string name, string value, out int result) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result) ? null : $"{name} must be an integer (got '{value}').";

    private static string? TrySeconds(string name, string value, out TimeSpan result)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < 1e7)
        {
            result = TimeSpan.FromSeconds(seconds);
            return null;
        }

        result = TimeSpan.Zero;
        return $"{name} must be a number of seconds (got '{value}').";
    }

    private static string? TryTimeout(string name, string value, out TimeSpan? result)
    {
        string? error = TrySeconds(name, value, out var seconds);
        result = error is null ? seconds : null;
        return error;
    }

    private static string? TryParameter(string name, string value, Dictionary<string, string> parameters)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return $"{name} must be NAME=VALUE (got '{value}').";
        }

        parameters[value[..equals]] = value[(equals + 1)..];
        return null;
    }
}
