using Switchboard.Runtime;

namespace Switchboard.Runtime.Tests.TestGrains;

public interface ITestObserver : IGrainObserver
{
    Task OnValue(int value);

    [OneWay]
    Task OnNotify(int value);
}
