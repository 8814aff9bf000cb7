using System.Text;
using Switchboard.Gateway.Twilio;

namespace Switchboard.Gateway.Tests.Twilio;

public class TwilioMessageParserTests
{
    // JSON samples copied from shared/twilio-media-streams.md §1.
    private const string ConnectedJson = """{"event":"connected","protocol":"Call","version":"1.0.0"}""";

    private const string StartJson = """
        {"event":"start","sequenceNumber":"1",
         "start":{"accountSid":"AC0123456789abcdef0123456789abcdef",
                  "streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0",
                  "callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968",
                  "tracks":["inbound"],
                  "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                  "customParameters":{"sessionId":"s_42"}},
         "streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0"}
        """;

    private const string MediaJson = """
        {"event":"media","sequenceNumber":"2",
         "media":{"track":"inbound","chunk":"1","timestamp":"20",
                  "payload":"//////////////////////////////////////////8="},
         "streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0"}
        """;

    private const string DtmfJson = """
        {"event":"dtmf","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","sequenceNumber":"57",
         "dtmf":{"track":"inbound_track","digit":"5"}}
        """;

    private const string MarkJson = """
        {"event":"mark","sequenceNumber":"88","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0",
         "mark":{"name":"utt-3"}}
        """;

    private const string StopJson = """
        {"event":"stop","sequenceNumber":"912",
         "stop":{"accountSid":"AC0123456789abcdef0123456789abcdef",
                 "callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"},
         "streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0"}
        """;

    // 160 bytes (i*37+11) mod 256, base64-encoded with python3's base64.b64encode (216 characters).
    private const string Payload160 =
        "CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG6xA1Wn+kye4TOF2Cp8zxFjtgharP9Bk+Y4it0vccQWaLsNX6H0RpjrPY/SJHbJG22wAlSm+Uud4DKE1yl7zhBg==";

    private const string Sid = "MZ18ad3ab5a668481ce02b83e7395059f0";

    [Theory]
    [InlineData("{\"event\":\"media\"", nameof(TwilioParseError.MalformedJson))]
    [InlineData("not json", nameof(TwilioParseError.MalformedJson))]
    [InlineData("", nameof(TwilioParseError.MalformedJson))]
    [InlineData("null", nameof(TwilioParseError.WrongType))]
    [InlineData("[1,2]", nameof(TwilioParseError.WrongType))]
    [InlineData("{\"event\":\"hangup\",\"streamSid\":\"MZ1\"}", nameof(TwilioParseError.UnknownEvent))]
    [InlineData("{\"streamSid\":\"MZ1\",\"sequenceNumber\":\"3\"}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\"}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"AA==\"}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"AA==\"}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\"}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"!!not-base64!!\"}}", nameof(TwilioParseError.InvalidBase64))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"AAA\"}}", nameof(TwilioParseError.InvalidBase64))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":2,\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"AA==\"}}", nameof(TwilioParseError.WrongType))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"two\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\"AA==\"}}", nameof(TwilioParseError.InvalidNumber))]
    [InlineData("{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"-5\",\"payload\":\"AA==\"}}", nameof(TwilioParseError.InvalidNumber))]
    [InlineData("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":\"8000\",\"channels\":1}}}", nameof(TwilioParseError.WrongType))]
    [InlineData("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"mark\",\"sequenceNumber\":\"88\",\"streamSid\":\"MZ1\"}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"dtmf\",\"sequenceNumber\":\"57\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\"}}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":\"connected\",\"protocol\":\"Call\"}", nameof(TwilioParseError.MissingField))]
    [InlineData("{\"event\":42}", nameof(TwilioParseError.WrongType))]
    public void Parse_InvalidMessage_ReturnsErrorValue(string json, string expected)
    {
        var result = Parse(json);

        Assert.False(result.IsOk);
        Assert.Equal(expected, result.Error.ToString());
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
    }

    [Fact]
    public void Parse_Connected_ReturnsProtocolAndVersion()
    {
        var result = Parse(ConnectedJson);

        Assert.True(result.IsOk);
        Assert.Equal(TwilioEventKind.Connected, result.Message.Kind);
        Assert.Equal(new TwilioConnected("Call", "1.0.0"), result.Message.Connected);
        Assert.Null(result.Message.StreamSid);
    }

    [Fact]
    public void Parse_Start_ReturnsAllMetadata()
    {
        var result = Parse(StartJson);

        Assert.True(result.IsOk);
        Assert.Equal(TwilioEventKind.Start, result.Message.Kind);
        var start = result.Message.Start!;
        Assert.Equal(Sid, start.StreamSid);
        Assert.Equal("AC0123456789abcdef0123456789abcdef", start.AccountSid);
        Assert.Equal("CA9f2c1e0d3b4a59687f0e1d2c3b4a5968", start.CallSid);
        Assert.Equal(["inbound"], start.Tracks);
        Assert.Equal(new Grains.MediaFormat("audio/x-mulaw", 8000, 1), start.MediaFormat);
        Assert.Equal("s_42", start.CustomParameters["sessionId"]);
        Assert.Equal(1, start.SequenceNumber);
    }

    [Fact]
    public void Parse_MediaSample_DecodesPayloadAndNumbers()
    {
        var result = Parse(MediaJson);

        Assert.True(result.IsOk);
        var media = result.Message.Media!;
        Assert.Equal(Sid, result.Message.StreamSid);
        Assert.Equal(2, media.SequenceNumber);
        Assert.Equal("inbound", media.Track);
        Assert.Equal(1, media.Chunk);
        Assert.Equal(20, media.TimestampMs);
        // 43 '/' + "8=" decodes to 32 bytes of 0xFF (μ-law silence).
        Assert.Equal(32, media.Payload.Length);
        Assert.All(media.Payload, b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Parse_Media160Bytes_DecodesExactFrame()
    {
        var json = $$"""{"event":"media","sequenceNumber":"7","media":{"track":"inbound","chunk":"6","timestamp":"120","payload":"{{Payload160}}"},"streamSid":"{{Sid}}"}""";

        var result = Parse(json);

        Assert.True(result.IsOk);
        var payload = result.Message.Media!.Payload;
        Assert.Equal(160, payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            Assert.Equal((byte)((i * 37 + 11) % 256), payload[i]);
        }

        Assert.Equal(120, result.Message.Media.TimestampMs);
        Assert.Equal(6, result.Message.Media.Chunk);
    }

    [Fact]
    public void Parse_Dtmf_ReturnsDigit()
    {
        var result = Parse(DtmfJson);

        Assert.True(result.IsOk);
        Assert.Equal(TwilioEventKind.Dtmf, result.Message.Kind);
        Assert.Equal(new Grains.DtmfEvent(57, "5"), result.Message.Dtmf);
    }

    [Fact]
    public void Parse_Mark_ReturnsName()
    {
        var result = Parse(MarkJson);

        Assert.True(result.IsOk);
        Assert.Equal(TwilioEventKind.Mark, result.Message.Kind);
        Assert.Equal(new Grains.MarkEcho(88, "utt-3"), result.Message.Mark);
    }

    [Fact]
    public void Parse_Stop_ReturnsSids()
    {
        var result = Parse(StopJson);

        Assert.True(result.IsOk);
        Assert.Equal(TwilioEventKind.Stop, result.Message.Kind);
        Assert.Equal(new Grains.StreamStop(912, "AC0123456789abcdef0123456789abcdef", "CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"), result.Message.Stop);
        Assert.Equal(Sid, result.Message.StreamSid);
    }

    private static TwilioParseResult Parse(string json) => TwilioMessageParser.Parse(Encoding.UTF8.GetBytes(json));
}
