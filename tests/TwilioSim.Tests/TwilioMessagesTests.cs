using System.Buffers;
using System.Text.Json;

namespace Switchboard.TwilioSim.Tests;

public sealed class TwilioMessagesTests
{
    private static readonly CallIdentity s_identity = new(
        "MZ0123456789abcdef0123456789abcdef", "CA0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdef");

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("{\"event\":")]
    [InlineData("{\"event\":5}")]
    public void TryParseOutbound_Malformed_ReturnsFalse(string json)
    {
        Assert.False(TwilioMessages.TryParseOutbound(System.Text.Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void TryParseOutbound_MediaMarkClear_ReadsFields()
    {
        Assert.True(TwilioMessages.TryParseOutbound("""{"event":"media","streamSid":"MZ1","media":{"payload":"AAE="}}"""u8, out var media));
        Assert.True(TwilioMessages.TryParseOutbound("""{"event":"mark","streamSid":"MZ1","mark":{"name":"utt-3"}}"""u8, out var mark));
        Assert.True(TwilioMessages.TryParseOutbound("""{"event":"clear","streamSid":"MZ1"}"""u8, out var clear));

        Assert.Equal(("media", "MZ1", "AAE="), (media!.Event, media.StreamSid, media.Media?.Payload));
        Assert.Equal(("mark", "utt-3"), (mark!.Event, mark.Mark?.Name));
        Assert.Equal(("clear", null, null), (clear!.Event, clear.Media, clear.Mark));
    }

    [Fact]
    public void Connected_HasProtocolAndVersionOnly()
    {
        using var doc = JsonDocument.Parse(TwilioMessages.Connected);
        var root = doc.RootElement;

        Assert.Equal(["event", "protocol", "version"], root.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal("connected", root.GetProperty("event").GetString());
        Assert.Equal("Call", root.GetProperty("protocol").GetString());
        Assert.Equal("1.0.0", root.GetProperty("version").GetString());
    }

    [Fact]
    public void WriteStart_HasEveryFieldWithTwilioTypes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TwilioMessages.WriteStart(buffer, s_identity, new Dictionary<string, string> { ["sessionId"] = "s_42" });

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        var start = root.GetProperty("start");
        var format = start.GetProperty("mediaFormat");

        Assert.Equal(["event", "sequenceNumber", "start", "streamSid"], root.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal("start", root.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("sequenceNumber").ValueKind);
        Assert.Equal("1", root.GetProperty("sequenceNumber").GetString());
        Assert.Equal(s_identity.StreamSid, root.GetProperty("streamSid").GetString());
        Assert.Equal(s_identity.StreamSid, start.GetProperty("streamSid").GetString());
        Assert.Equal(s_identity.AccountSid, start.GetProperty("accountSid").GetString());
        Assert.Equal(s_identity.CallSid, start.GetProperty("callSid").GetString());
        Assert.Equal(["inbound"], start.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("audio/x-mulaw", format.GetProperty("encoding").GetString());
        Assert.Equal(JsonValueKind.Number, format.GetProperty("sampleRate").ValueKind);
        Assert.Equal(8000, format.GetProperty("sampleRate").GetInt32());
        Assert.Equal(JsonValueKind.Number, format.GetProperty("channels").ValueKind);
        Assert.Equal(1, format.GetProperty("channels").GetInt32());
        Assert.Equal("s_42", start.GetProperty("customParameters").GetProperty("sessionId").GetString());
    }

    [Fact]
    public void MediaFrameWriter_Frame_HasStringCountersAnd216CharPayload()
    {
        var writer = new MediaFrameWriter(s_identity.StreamSid);
        byte[] payload = Enumerable.Range(0, 160).Select(i => (byte)(i * 7)).ToArray();

        var frame = writer.Write(sequenceNumber: 42, chunk: 41, timestampMs: 800, payload);

        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        var media = root.GetProperty("media");
        Assert.Equal(["event", "media", "sequenceNumber", "streamSid"], root.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(["chunk", "payload", "timestamp", "track"], media.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal("media", root.GetProperty("event").GetString());
        Assert.Equal("42", root.GetProperty("sequenceNumber").GetString());
        Assert.Equal(s_identity.StreamSid, root.GetProperty("streamSid").GetString());
        Assert.Equal("inbound", media.GetProperty("track").GetString());
        Assert.Equal("41", media.GetProperty("chunk").GetString());
        Assert.Equal("800", media.GetProperty("timestamp").GetString());
        string base64 = media.GetProperty("payload").GetString()!;
        Assert.Equal(216, base64.Length);
        Assert.Equal(payload, Convert.FromBase64String(base64));
    }

    [Fact]
    public void MediaFrameWriter_OversizedPayload_Throws()
    {
        var writer = new MediaFrameWriter(s_identity.StreamSid, maxPayloadBytes: 160);

        Assert.Throws<ArgumentException>(() => writer.Write(2, 1, 0, new byte[400]));
    }

    [Fact]
    public void WriteStop_HasAccountAndCallSid()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TwilioMessages.WriteStop(buffer, s_identity, 912);

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        Assert.Equal("stop", root.GetProperty("event").GetString());
        Assert.Equal("912", root.GetProperty("sequenceNumber").GetString());
        Assert.Equal(s_identity.StreamSid, root.GetProperty("streamSid").GetString());
        Assert.Equal(s_identity.AccountSid, root.GetProperty("stop").GetProperty("accountSid").GetString());
        Assert.Equal(s_identity.CallSid, root.GetProperty("stop").GetProperty("callSid").GetString());
    }

    [Fact]
    public void WriteMarkEcho_EscapesNameAndUsesStringSequence()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TwilioMessages.WriteMarkEcho(buffer, s_identity.StreamSid, 88, "utt \"3\"");

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        Assert.Equal("mark", root.GetProperty("event").GetString());
        Assert.Equal("88", root.GetProperty("sequenceNumber").GetString());
        Assert.Equal(s_identity.StreamSid, root.GetProperty("streamSid").GetString());
        Assert.Equal("utt \"3\"", root.GetProperty("mark").GetProperty("name").GetString());
    }

    [Fact]
    public void CallIdentity_CreateRandom_HasTwilioSidShapes()
    {
        var identity = CallIdentity.CreateRandom(CallIdentity.NewAccountSid());

        Assert.Matches("^MZ[0-9a-f]{32}$", identity.StreamSid);
        Assert.Matches("^CA[0-9a-f]{32}$", identity.CallSid);
        Assert.Matches("^AC[0-9a-f]{32}$", identity.AccountSid);
        Assert.NotEqual(identity.StreamSid, CallIdentity.CreateRandom(identity.AccountSid).StreamSid);
    }
}
