using Switchboard.Runtime;

namespace Switchboard.Runtime.Tests.TestGrains;

[GrainType("rt-failing")]
public interface IFailingGrain : IGrainWithStringKey
{
    Task<int> Ping();
}
