namespace Switchboard.Cluster.Tests.Harness;

/// <summary>The <c>status</c> column of Orleans' <c>orleansmembershiptable</c> (the values of
/// <c>Orleans.Runtime.SiloStatus</c>; the tests only read the table).</summary>
internal enum MemberStatus
{
    /// <summary>0: no status.</summary>
    None = 0,

    /// <summary>1: the silo process is starting.</summary>
    Created = 1,

    /// <summary>2: the silo is joining the cluster.</summary>
    Joining = 2,

    /// <summary>3: the silo is a live member.</summary>
    Active = 3,

    /// <summary>4: the silo began a graceful shutdown.</summary>
    ShuttingDown = 4,

    /// <summary>5: the silo is stopping (a fast stop).</summary>
    Stopping = 5,

    /// <summary>6: the silo is out of the cluster (stopped, or declared dead by the others).</summary>
    Dead = 6,
}
