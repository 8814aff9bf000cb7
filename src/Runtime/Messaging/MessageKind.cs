namespace Switchboard.Runtime.Messaging;

/// <summary>What a <see cref="Message"/> carries.</summary>
internal enum MessageKind : byte
{
    Request = 1,
    Response = 2,
    OneWay = 3,
}
