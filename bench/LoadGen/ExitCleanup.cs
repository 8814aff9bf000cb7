using System.Runtime.InteropServices;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// What must not outlive this program (server processes, the run's PostgreSQL), cleaned up when it exits or receives
/// SIGTERM without reaching its own dispose calls. SIGTERM needs its own handler: the runtime then ends the process by
/// the signal's default action, and ProcessExit handlers do not get to run. Ctrl-C is not handled here: it cancels the
/// run, which disposes everything on its way out. Cleanups run newest first, so servers stop before their database.
/// </summary>
internal static class ExitCleanup
{
    private static readonly List<Action> s_actions = [];
    private static bool s_installed;
    private static PosixSignalRegistration? s_sigterm;

    /// <summary>Runs <paramref name="cleanup"/> at exit or SIGTERM unless <see cref="Unregister"/> is called first.</summary>
    public static void Register(Action cleanup)
    {
        lock (s_actions)
        {
            if (!s_installed)
            {
                s_installed = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
                s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => RunAll());
            }

            s_actions.Add(cleanup);
        }
    }

    /// <summary>Forgets <paramref name="cleanup"/> (its owner cleaned up itself).</summary>
    public static void Unregister(Action cleanup)
    {
        lock (s_actions)
        {
            s_actions.Remove(cleanup);
        }
    }

    private static void RunAll()
    {
        Action[] actions;
        lock (s_actions)
        {
            actions = [.. s_actions];
            s_actions.Clear();
        }

        for (int i = actions.Length - 1; i >= 0; i--)
        {
            actions[i]();
        }
    }
}
