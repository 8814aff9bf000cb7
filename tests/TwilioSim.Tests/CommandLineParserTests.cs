namespace Switchboard.TwilioSim.Tests;

public sealed class CommandLineParserTests
{
    private const string Url = "ws://127.0.0.1:8081/twilio/media-stream";

    [Theory]
    [InlineData(new string[0], "--url is required")]
    [InlineData(new[] { "--calls", "3" }, "--url is required")]
    [InlineData(new[] { "--url", "http://x/y" }, "ws:// or wss://")]
    [InlineData(new[] { "--url", "not a url" }, "--url must be an absolute URL")]
    [InlineData(new[] { "--url", Url, "--calls", "x" }, "--calls must be an integer")]
    [InlineData(new[] { "--url", Url, "--calls", "0" }, "--calls must be between")]
    [InlineData(new[] { "--url", Url, "--duration", "0" }, "--duration must be greater than 0")]
    [InlineData(new[] { "--url", Url, "--duration", "abc" }, "--duration must be a number")]
    [InlineData(new[] { "--url", Url, "--ramp", "-1" }, "--ramp must not be negative")]
    [InlineData(new[] { "--url", Url, "--duration", "10", "--timeout", "5" }, "--timeout must exceed")]
    [InlineData(new[] { "--url", Url, "--public-url", "https://x.ngrok.app" }, "give --auth-token too")]
    [InlineData(new[] { "--url", Url, "--calls" }, "--calls needs a value")]
    [InlineData(new[] { "--url", Url, "--bogus", "1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--url", Url, "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--url", Url, "--param", "novalue" }, "--param must be NAME=VALUE")]
    public void Parse_BadArguments_ReturnsErrorNamingTheFlag(string[] args, string expected)
    {
        var result = CommandLineParser.Parse(args);

        Assert.Null(result.Options);
        Assert.NotNull(result.Error);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AudioUnreadable_ReturnsError()
    {
        var result = CommandLineParser.Parse(["--url", Url, "--audio", "missing.ulaw"], _ => throw new FileNotFoundException("nope"));

        Assert.Null(result.Options);
        Assert.Contains("--audio 'missing.ulaw' cannot be read", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AudioTooShort_ReturnsError()
    {
        var result = CommandLineParser.Parse(["--url", Url, "--audio", "tiny.ulaw"], _ => new byte[10]);

        Assert.Contains("at least 160 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Help_ShowsHelp()
    {
        Assert.True(CommandLineParser.Parse(["--help"]).ShowHelp);
    }

    [Fact]
    public void Parse_AllOptions_BuildsOptions()
    {
        var audio = new byte[320];
        var result = CommandLineParser.Parse(
            ["--url", Url, "--calls", "20", "--duration=10", "--ramp", "2.5", "--drain", "1", "--timeout", "30",
             "--auth-token", "T", "--public-url", "https://example.ngrok.app", "--audio", "a.ulaw", "--param", "k=v=w", "--json"],
            path => path == "a.ulaw" ? audio : throw new FileNotFoundException(path));

        Assert.Null(result.Error);
        var options = Assert.IsType<SimulatorOptions>(result.Options);
        Assert.True(result.Json);
        Assert.Equal(new Uri(Url), options.Url);
        Assert.Equal(20, options.Calls);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Ramp);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Drain);
        Assert.Equal(TimeSpan.FromSeconds(30), options.EffectiveTimeout);
        Assert.Equal("T", options.AuthToken);
        Assert.Equal(new Uri("https://example.ngrok.app"), options.PublicUrl);
        Assert.Equal(320, options.Audio.Length);
        Assert.Equal("v=w", options.CustomParameters["k"]);
        Assert.Equal(500, options.FramesPerCall);
    }

    [Fact]
    public void Parse_Defaults_TimeoutCoversRampDurationAndDrain()
    {
        var options = CommandLineParser.Parse(["--url", Url, "--duration", "5", "--ramp", "1"]).Options!;

        Assert.Equal(1, options.Calls);
        Assert.False(options.Audio.Length > 0);
        Assert.Equal(TimeSpan.FromSeconds(5 + 1 + 2 + 10), options.EffectiveTimeout);
    }
}
