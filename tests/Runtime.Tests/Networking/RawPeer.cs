using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Switchboard.Runtime.Networking;
using Switchboard.TestInfrastructure;

namespace Switchboard.Runtime.Tests.Networking;

/// <summary>A hand-driven socket speaking (or breaking) the frame protocol, for peers that misbehave on purpose.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawPeer(socket);
    }

    public static RawPeer FromAccepted(Socket socket) => new(socket);

    public Task SendHelloAsync(string clusterId, string nodeId, int version = MessageFrameCodec.ProtocolVersion, bool isClient = true)
        => SendAsync(w => MessageFrameCodec.WriteHello(w, new HelloFrame(version, clusterId, nodeId, isClient)));

    public async Task SendAsync(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        await _stream.WriteAsync(buffer.WrittenMemory);
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Next frame, or null when the peer closed the connection first.</summary>
    public async Task<Frame?> ReadFrameAsync()
    {
        var read = ReadFrameCoreAsync();
        return await TestWait.CompletesAsync(read, "a frame from the peer");
    }

    /// <summary>Closes with a TCP reset (linger 0), as a killed process's kernel would for unread data.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private async Task<Frame?> ReadFrameCoreAsync()
    {
        // Bounded by the caller's timeout and by the peer closing.
        while (true)
        {
            var result = await _input.ReadAsync();
            var buffer = result.Buffer;
            if (MessageFrameCodec.TryRead(ref buffer, out var frame))
            {
                _input.AdvanceTo(buffer.Start);
                return frame;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
