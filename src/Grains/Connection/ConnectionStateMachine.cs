namespace Switchboard.Grains.Connection;

/// <summary>
/// The connection life cycle: CONNECTING → CONNECTED → (RECONNECTING ↔ CONNECTED) → DISCONNECTED | FAILED.
/// </summary>
/// <remarks>
/// Invariants: DISCONNECTED and FAILED are final (nothing leaves them); every non-final state may end in either final
/// state; RECONNECTING is only reachable from CONNECTED. An illegal transition is an expected event on a racy
/// distributed path (a late <c>stop</c> after a timeout, say), so it returns false and is counted instead of throwing.
/// The error code is recorded when a final state is entered and kept afterwards.
/// </remarks>
internal sealed class ConnectionStateMachine
{
    /// <summary>A new life cycle in CONNECTING.</summary>
    public ConnectionStateMachine()
        : this(ConnectionState.Connecting, ConnectionErrorCode.None, 0)
    {
    }

    /// <summary>A life cycle resumed from a checkpoint.</summary>
    public ConnectionStateMachine(ConnectionState state, ConnectionErrorCode error, long illegalTransitions)
    {
        State = state;
        Error = IsFinalState(state) ? error : ConnectionErrorCode.None;
        IllegalTransitions = illegalTransitions;
    }

    /// <summary>Current state.</summary>
    public ConnectionState State { get; private set; }

    /// <summary>Error recorded with the final state (None until then, and for clean endings).</summary>
    public ConnectionErrorCode Error { get; private set; }

    /// <summary>Transitions refused so far.</summary>
    public long IllegalTransitions { get; private set; }

    /// <summary>True in DISCONNECTED or FAILED.</summary>
    public bool IsFinal => IsFinalState(State);

    /// <summary>True when <paramref name="state"/> is DISCONNECTED or FAILED.</summary>
    public static bool IsFinalState(ConnectionState state) => state is ConnectionState.Disconnected or ConnectionState.Failed;

    /// <summary>True when the life cycle allows <paramref name="from"/> → <paramref name="to"/>.</summary>
    public static bool IsLegal(ConnectionState from, ConnectionState to) => (from, to) switch
    {
        (ConnectionState.Connecting, ConnectionState.Connected) => true,
        (ConnectionState.Connected, ConnectionState.Reconnecting) => true,
        (ConnectionState.Reconnecting, ConnectionState.Connected) => true,
        (ConnectionState.Connecting or ConnectionState.Connected or ConnectionState.Reconnecting,
            ConnectionState.Disconnected or ConnectionState.Failed) => true,
        _ => false,
    };

    /// <summary>Moves to <paramref name="to"/> if legal; otherwise counts the attempt and returns false.</summary>
    /// <param name="to">Target state.</param>
    /// <param name="error">Error recorded when <paramref name="to"/> is final; ignored otherwise.</param>
    public bool TryTransition(ConnectionState to, ConnectionErrorCode error = ConnectionErrorCode.None)
    {
        if (!IsLegal(State, to))
        {
            IllegalTransitions++;
            return false;
        }

        State = to;
        if (IsFinalState(to))
        {
            Error = error;
        }

        return true;
    }
}
