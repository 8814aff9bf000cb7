namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>A client-side callback interface.</summary>
public interface ITestObserver : IGrainObserver
{
    Task<string> OnEvent(string name);
}
