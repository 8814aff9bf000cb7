using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Connection;

public class ConnectionStateMachineTests
{
    private static readonly ConnectionState[] AllStates = Enum.GetValues<ConnectionState>();

    private static readonly HashSet<(ConnectionState, ConnectionState)> Legal =
    [
        (ConnectionState.Connecting, ConnectionState.Connected),
        (ConnectionState.Connecting, ConnectionState.Disconnected),
        (ConnectionState.Connecting, ConnectionState.Failed),
        (ConnectionState.Connected, ConnectionState.Reconnecting),
        (ConnectionState.Connected, ConnectionState.Disconnected),
        (ConnectionState.Connected, ConnectionState.Failed),
        (ConnectionState.Reconnecting, ConnectionState.Connected),
        (ConnectionState.Reconnecting, ConnectionState.Disconnected),
        (ConnectionState.Reconnecting, ConnectionState.Failed),
    ];

    public static TheoryData<ConnectionState, ConnectionState> IllegalPairs()
    {
        var data = new TheoryData<ConnectionState, ConnectionState>();
        foreach (var from in AllStates)
        {
            foreach (var to in AllStates)
            {
                if (!Legal.Contains((from, to)))
                {
                    data.Add(from, to);
                }
            }
        }

        return data;
    }

    public static TheoryData<ConnectionState, ConnectionState> LegalPairs()
    {
        var data = new TheoryData<ConnectionState, ConnectionState>();
        foreach (var (from, to) in Legal)
        {
            data.Add(from, to);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void TryTransition_IllegalPair_ReturnsFalseCountsAndKeepsState(ConnectionState from, ConnectionState to)
    {
        var machine = Reach(from);
        var errorBefore = machine.Error;

        var moved = machine.TryTransition(to, ConnectionErrorCode.ServerError);

        Assert.False(moved);
        Assert.Equal(from, machine.State);
        Assert.Equal(errorBefore, machine.Error);
        Assert.Equal(1, machine.IllegalTransitions);
    }

    [Theory]
    [InlineData(ConnectionState.Disconnected)]
    [InlineData(ConnectionState.Failed)]
    public void TryTransition_FromFinalState_RefusesEveryTarget(ConnectionState final)
    {
        var machine = Reach(final);

        foreach (var to in AllStates)
        {
            Assert.False(machine.TryTransition(to));
        }

        Assert.Equal(final, machine.State);
        Assert.Equal(AllStates.Length, machine.IllegalTransitions);
        Assert.True(machine.IsFinal);
    }

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void TryTransition_LegalPair_MovesWithoutCounting(ConnectionState from, ConnectionState to)
    {
        var machine = Reach(from);

        var moved = machine.TryTransition(to, ConnectionErrorCode.RateLimit);

        Assert.True(moved);
        Assert.Equal(to, machine.State);
        Assert.Equal(0, machine.IllegalTransitions);
        Assert.Equal(ConnectionStateMachine.IsFinalState(to) ? ConnectionErrorCode.RateLimit : ConnectionErrorCode.None, machine.Error);
    }

    [Fact]
    public void TryTransition_ReconnectCycleThenFailure_RecordsErrorOfFinalState()
    {
        var machine = new ConnectionStateMachine();

        Assert.True(machine.TryTransition(ConnectionState.Connected));
        Assert.True(machine.TryTransition(ConnectionState.Reconnecting));
        Assert.True(machine.TryTransition(ConnectionState.Connected));
        Assert.True(machine.TryTransition(ConnectionState.Reconnecting));
        Assert.True(machine.TryTransition(ConnectionState.Failed, ConnectionErrorCode.NetworkFailure));

        Assert.Equal(ConnectionState.Failed, machine.State);
        Assert.Equal(ConnectionErrorCode.NetworkFailure, machine.Error);
    }

    [Fact]
    public void New_StartsConnectingWithoutError()
    {
        var machine = new ConnectionStateMachine();

        Assert.Equal(ConnectionState.Connecting, machine.State);
        Assert.Equal(ConnectionErrorCode.None, machine.Error);
        Assert.False(machine.IsFinal);
    }

    private static ConnectionStateMachine Reach(ConnectionState state)
    {
        var machine = new ConnectionStateMachine();
        var path = state switch
        {
            ConnectionState.Connecting => [],
            ConnectionState.Connected => [ConnectionState.Connected],
            ConnectionState.Reconnecting => [ConnectionState.Connected, ConnectionState.Reconnecting],
            ConnectionState.Disconnected => [ConnectionState.Connected, ConnectionState.Disconnected],
            ConnectionState.Failed => new[] { ConnectionState.Connected, ConnectionState.Failed },
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        foreach (var step in path)
        {
            Assert.True(machine.TryTransition(step, ConnectionErrorCode.AuthFailure));
        }

        return machine;
    }
}
