using Switchboard.Runtime;

namespace Switchboard.Runtime.Tests.TestGrains;

public interface IFailingGrain : IGrainWithStringKey
{
    Task<int> Ping();
}
