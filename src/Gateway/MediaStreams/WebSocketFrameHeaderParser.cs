namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Follows RFC 6455 frame boundaries in one direction of a byte stream, whatever the chunking, and reports each
/// frame's opcode as soon as its header is complete. Headers are assembled byte by byte (at most 14 bytes: 2 fixed,
/// 0/2/8 extended length, 0/4 mask key); payloads are skipped in bulk. It never looks inside payloads, so masked
/// client frames and unmasked server frames are handled alike. Not thread-safe: one instance per direction.
/// </summary>
internal sealed class WebSocketFrameHeaderParser(Action<int> onFrameHeader)
{
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private int _headerNeeded = 2;
    private long _payloadRemaining;

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_payloadRemaining > 0)
            {
                var skip = (int)Math.Min(_payloadRemaining, data.Length);
                _payloadRemaining -= skip;
                data = data[skip..];
                continue;
            }

            _header[_headerLength++] = data[0];
            data = data[1..];
            if (_headerLength == 2)
            {
                var length7 = _header[1] & 0x7F;
                var masked = (_header[1] & 0x80) != 0;
                _headerNeeded = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
            }

            if (_headerLength >= 2 && _headerLength == _headerNeeded)
            {
                CompleteHeader();
            }
        }
    }

    private void CompleteHeader()
    {
        var length7 = _header[1] & 0x7F;
        long payload = length7 switch
        {
            126 => (_header[2] << 8) | _header[3],
            127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)) & long.MaxValue,
            _ => length7,
        };
        var opcode = _header[0] & 0x0F;
        _headerLength = 0;
        _headerNeeded = 2;
        _payloadRemaining = payload;
        onFrameHeader(opcode);
    }
}
